{{- define "higress-net.labels" -}}
app.kubernetes.io/part-of: higress-net
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "higress-net.selector" -}}
{{- if eq .Values.mode "sidecar" -}}
app.kubernetes.io/name: {{ .Values.sidecar.app.name }}
{{- else -}}
app.kubernetes.io/name: higress-net
app.kubernetes.io/component: gateway
{{- end -}}
{{- end -}}

{{- define "higress-net.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}

{{- define "higress-net.securityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{- define "higress-net.probes" -}}
startupProbe:
  httpGet:
    path: /healthz
    port: admin
  periodSeconds: 2
  failureThreshold: 30
livenessProbe:
  httpGet:
    path: /healthz
    port: admin
  periodSeconds: 10
readinessProbe:
  httpGet:
    path: /readyz
    port: admin
  periodSeconds: 2
  failureThreshold: 1
{{- end -}}
