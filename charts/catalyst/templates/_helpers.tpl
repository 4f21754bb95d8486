{{/* Chart name, truncated to a DNS label. */}}
{{- define "catalyst.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, or <release>-<name> when the release name does not contain it. */}}
{{- define "catalyst.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "catalyst.selectorLabels" -}}
app.kubernetes.io/name: {{ include "catalyst.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* app.kubernetes.io/* labels, on every object. */}}
{{- define "catalyst.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "catalyst.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | quote }}
app.kubernetes.io/part-of: catalyst
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "catalyst.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "catalyst.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "catalyst.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* Name of the CloudNativePG Cluster; its operator writes the `<name>-app` Secret. */}}
{{- define "catalyst.cnpgName" -}}
{{- printf "%s-db" (include "catalyst.fullname" .) | trunc 50 | trimSuffix "-" }}
{{- end }}

{{/* PUBLIC_URL: env.PUBLIC_URL, else the Ingress host, else the first HTTPRoute hostname. */}}
{{- define "catalyst.publicUrl" -}}
{{- if .Values.env.PUBLIC_URL }}
{{- .Values.env.PUBLIC_URL }}
{{- else if and .Values.ingress.enabled .Values.ingress.host }}
{{- printf "%s://%s" (ternary "https" "http" (ne .Values.ingress.tls.secretName "")) .Values.ingress.host }}
{{- else if and .Values.httpRoute.enabled .Values.httpRoute.hostnames }}
{{- printf "https://%s" (first .Values.httpRoute.hostnames) }}
{{- end }}
{{- end }}

{{/* Combinations values.schema.json cannot express; each stops the render with the fix. */}}
{{- define "catalyst.validate" -}}
{{- $db := .Values.database }}
{{- if and $db.cnpg.enabled $db.embedded.enabled }}
{{- fail "database.cnpg.enabled and database.embedded.enabled exclude each other: choose one database" }}
{{- end }}
{{- if and $db.embedded.enabled (gt (int .Values.replicaCount) 1) }}
{{- fail "database.embedded runs one PostgreSQL inside the pod: replicaCount must be 1 (use database.cnpg or secrets.databaseUrl for more replicas)" }}
{{- end }}
{{- if not (or $db.cnpg.enabled $db.embedded.enabled .Values.secrets.databaseUrl.name) }}
{{- fail "no database: set secrets.databaseUrl.name (a Secret holding DATABASE_URL), or enable database.cnpg or database.embedded" }}
{{- end }}
{{- if and (not $db.embedded.enabled) (not .Values.secrets.secretKey.name) }}
{{- fail "secrets.secretKey.name is required: without a persistent data volume a generated CATALYST_SECRET_KEY would be lost on restart (and differ between replicas)" }}
{{- end }}
{{- if and .Values.env.PDNS_API_URL (not .Values.secrets.powerdnsApiKey.name) }}
{{- fail "env.PDNS_API_URL is set: secrets.powerdnsApiKey.name must name the Secret holding PDNS_API_KEY" }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) }}
{{- fail "ingress.enabled needs ingress.host" }}
{{- end }}
{{- if and .Values.httpRoute.enabled (not .Values.httpRoute.parentRefs) }}
{{- fail "httpRoute.enabled needs httpRoute.parentRefs (the Gateway to attach to)" }}
{{- end }}
{{- end }}
