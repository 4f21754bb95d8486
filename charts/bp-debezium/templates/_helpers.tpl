{{- define "bp-debezium.labels" -}}
app.kubernetes.io/part-of: debezium
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* The Kafka bootstrap Service Strimzi creates for the Kafka cluster named after the release. */}}
{{- define "bp-debezium.bootstrap" -}}
{{ .Release.Name }}-kafka-bootstrap:9092
{{- end -}}
