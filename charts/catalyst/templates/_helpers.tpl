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

{{/* env.CATALYST_CANCEL_GRACE in seconds, read as the api reads it (90s, 10m, 2h, 1d; bare = seconds); 60s, the api's default, when unset. */}}
{{- define "catalyst.cancelGraceSeconds" -}}
{{- $raw := trim (toString (.Values.env.CATALYST_CANCEL_GRACE | default "60s")) }}
{{- if not (regexMatch "^[0-9]+[smhd]?$" $raw) }}
{{- fail (printf "env.CATALYST_CANCEL_GRACE %q must be a duration such as 90s, 10m, 2h or 1d" $raw) }}
{{- end }}
{{- $amount := regexFind "^[0-9]+" $raw }}
{{- $unit := trimPrefix $amount $raw | default "s" }}
{{- mul (atoi $amount) (get (dict "s" 1 "m" 60 "h" 3600 "d" 86400) $unit) }}
{{- end }}

{{/*
The pod's termination grace. On SIGTERM the api interrupts each run's tofu (SIGINT), which gets the
cancel grace to save its state, SIGTERM after it and SIGKILL 2 × it + 30 s after the SIGINT; only then
is the run handed over. A shorter grace would have Kubernetes kill tofu mid-apply, state unsaved.
*/}}
{{- define "catalyst.terminationGracePeriodSeconds" -}}
{{- $needed := add (mul 2 (include "catalyst.cancelGraceSeconds" . | atoi)) 30 }}
{{- $set := .Values.terminationGracePeriodSeconds }}
{{- if kindIs "invalid" $set }}
{{- add $needed 15 }}
{{- else if lt (int64 $set) (int64 $needed) }}
{{- fail (printf "terminationGracePeriodSeconds %v is shorter than 2 × env.CATALYST_CANCEL_GRACE + 30 s = %d: Kubernetes would kill tofu before it saves its state (leave it null to have it computed)" $set $needed) }}
{{- else }}
{{- int64 $set }}
{{- end }}
{{- end }}
