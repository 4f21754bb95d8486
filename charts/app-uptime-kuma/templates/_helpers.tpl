{{/* Labels of the objects this umbrella renders itself. */}}
{{- define "app.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: catalyst
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
catalyst.openova.io/org: {{ .Values.global.catalyst.org | quote }}
catalyst.openova.io/environment: {{ .Values.global.catalyst.environment | quote }}
{{- end -}}

{{/*
The object names in values.yaml (fullnameOverride, Secret names) assume the release name the api
gives this chart (releaseName: the app id); any other name would leave them pointing at nothing.
*/}}
{{- define "app.checkRelease" -}}
{{- if ne .Release.Name (index .Values "uptime-kuma" "fullnameOverride") -}}
{{- fail (printf "app-uptime-kuma is installed as release %q (the app id), not %q" (index .Values "uptime-kuma" "fullnameOverride") .Release.Name) -}}
{{- end -}}
{{- end -}}
