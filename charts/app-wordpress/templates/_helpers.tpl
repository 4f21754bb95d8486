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
{{- if ne .Release.Name .Values.wordpress.fullnameOverride -}}
{{- fail (printf "app-wordpress is installed as release %q (the app id), not %q" .Values.wordpress.fullnameOverride .Release.Name) -}}
{{- end -}}
{{- end -}}

{{/*
A password kept across upgrades: the value already stored under `key` in the Secret `name` (lookup
reads the cluster; empty under `helm template`), or a new random one.
*/}}
{{- define "app.keptPassword" -}}
{{- $secret := lookup "v1" "Secret" .namespace .name -}}
{{- $stored := "" -}}
{{- if $secret -}}
{{- $stored = get (default dict $secret.data) .key | b64dec -}}
{{- end -}}
{{- $stored | default (randAlphaNum 32) -}}
{{- end -}}
