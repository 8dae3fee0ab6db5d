{{/* The name of every object of the release. */}}
{{- define "constable.fullname" -}}
{{- printf "%s-constable" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "constable.labels" -}}
app.kubernetes.io/name: constable
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The labels that select the webhook's pods. */}}
{{- define "constable.selectorLabels" -}}
app.kubernetes.io/name: constable
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The Secret holding the serving certificate. */}}
{{- define "constable.tlsSecret" -}}
{{- if .Values.tls.certManager -}}
{{ include "constable.fullname" . }}-tls
{{- else -}}
{{ required "tls.existingSecret is required without cert-manager" .Values.tls.existingSecret }}
{{- end -}}
{{- end -}}

{{/* The ConfigMap holding CONSTITUTION.md and .constable.yaml. */}}
{{- define "constable.configMap" -}}
{{- default (printf "%s-constitution" (include "constable.fullname" .)) .Values.constitution.existingConfigMap -}}
{{- end -}}
