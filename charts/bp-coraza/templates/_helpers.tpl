{{/* The coraza-proxy-wasm configuration: the Core Rule Set under the chosen SecRuleEngine, then extra directives. */}}
{{- define "bp-coraza.config" -}}
{{- $directives := list "Include @recommended-conf" (printf "SecRuleEngine %s" .Values.coraza.ruleEngine) "Include @crs-setup-conf" "Include @owasp_crs/*.conf" -}}
{{- $directives = concat $directives .Values.coraza.extraDirectives -}}
{{- dict "directives_map" (dict "default" $directives) "default_directives" "default" | toJson -}}
{{- end -}}

{{- define "bp-coraza.labels" -}}
app.kubernetes.io/name: coraza
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
