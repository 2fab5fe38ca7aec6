{{/* nameOverride or the chart name: the app.kubernetes.io/name selector label. */}}
{{- define "gitlab-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* fullnameOverride; else the release if it already contains the name; else <release>-<name>. */}}
{{- define "gitlab-agent.fullname" -}}
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

{{- define "gitlab-agent.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
"true" when this package's version is at least .v (call with dict "root" $ "v" "2.30.0").
One template source is packaged as several chart versions; this is where they differ.
*/}}
{{- define "gitlab-agent.since" -}}
{{- semverCompare (printf ">=%s-0" .v) .root.Chart.Version }}
{{- end }}

{{- define "gitlab-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gitlab-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "gitlab-agent.labels" -}}
helm.sh/chart: {{ include "gitlab-agent.chart" . }}
{{ include "gitlab-agent.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.additionalLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "gitlab-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gitlab-agent.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret the pods mount: config.secretName, else <fullname>-token. */}}
{{- define "gitlab-agent.secretName" -}}
{{- default (printf "%s-token" (include "gitlab-agent.fullname" .)) .Values.config.secretName }}
{{- end }}

{{- define "gitlab-agent.serviceName" -}}
{{- printf "%s-service" (include "gitlab-agent.fullname" . | trunc 55) }}
{{- end }}

{{- define "gitlab-agent.observabilitySecretName" -}}
{{- $tls := (.Values.config.observability).tls | default dict }}
{{- default (printf "%s-observability" (include "gitlab-agent.fullname" .)) (($tls.secret | default dict).name) }}
{{- end }}

{{/* receptive: GitLab connects to agentk (no --kas-address, listeners, private API secret). */}}
{{- define "gitlab-agent.receptive" -}}
{{- if (.Values.config.receptive).enabled }}true{{ end }}
{{- end }}

{{/* A Secret is rendered for the token and/or the receptive keys, under gitlab-agent.secretName. */}}
{{- define "gitlab-agent.rendersSecret" -}}
{{- if or .Values.config.token (.Values.config.api).jwtPublicKey (include "gitlab-agent.receptive" .) (include "gitlab-agent.apiTls" .) }}true{{ end }}
{{- end }}

{{- define "gitlab-agent.apiTls" -}}
{{- if and (include "gitlab-agent.receptive" .) ((.Values.config.api).tls).enabled }}true{{ end }}
{{- end }}

{{- define "gitlab-agent.privateApiTls" -}}
{{- if and (include "gitlab-agent.receptive" .) (eq (include "gitlab-agent.since" (dict "root" . "v" "2.10.0")) "true") (((.Values.config.privateApi).tls).enabled) }}true{{ end }}
{{- end }}

{{/* The KAS CA PEM: kasCaCert, else the legacy caCert. */}}
{{- define "gitlab-agent.kasCa" -}}
{{- with (.Values.config.kasCaCert | default .Values.config.caCert) }}{{ . }}{{ end }}
{{- end }}

{{/*
Operational container scanning. From 2.10.0: config.operational_container_scanning.enabled.
Before: the ClusterRole follows "enabled" but the other OCS objects only stop with "disabled: true"
(the official 2.6-era templates test both keys), so enabled=false alone leaves them in place.
*/}}
{{- define "gitlab-agent.ocs.enabled" -}}
{{- $ocs := .Values.config.operational_container_scanning | default dict }}
{{- if eq (include "gitlab-agent.since" (dict "root" . "v" "2.10.0")) "true" }}
{{- if $ocs.enabled }}true{{ end }}
{{- else }}
{{- if not $ocs.disabled }}true{{ end }}
{{- end }}
{{- end }}

{{- define "gitlab-agent.ocs.clusterRoleEnabled" -}}
{{- if ((.Values.config.operational_container_scanning | default dict).enabled) }}true{{ end }}
{{- end }}

{{- define "gitlab-agent.ocs.serviceAccountName" -}}
{{- $sa := (.Values.config.operational_container_scanning | default dict).serviceAccount | default dict }}
{{- if and (eq (include "gitlab-agent.since" (dict "root" . "v" "2.10.0")) "true") $sa.name }}
{{- $sa.name }}
{{- else }}
{{- printf "%s-ocs-scanning-pod-sa" (include "gitlab-agent.fullname" .) }}
{{- end }}
{{- end }}

{{- define "gitlab-agent.ocs.clusterRoleName" -}}
{{- printf "%s:%s:ocs" .Release.Namespace (include "gitlab-agent.fullname" .) }}
{{- end }}

{{- define "gitlab-agent.ocs.roleName" -}}
{{- printf "%s:ocs" (include "gitlab-agent.fullname" .) }}
{{- end }}

{{/*
Pod annotations: podAnnotations without the prometheus.io/* keys when observability is off, plus
checksum/token for config.token only. Nothing changes with kasCaCert or a config.secretName rotation.
*/}}
{{- define "gitlab-agent.podAnnotations" -}}
{{- $ann := dict }}
{{- range $k, $v := .Values.podAnnotations }}
{{- if or ($.Values.config.observability).enabled (not (has $k (list "prometheus.io/scrape" "prometheus.io/path" "prometheus.io/port"))) }}
{{- $_ := set $ann $k $v }}
{{- end }}
{{- end }}
{{- with .Values.config.token }}
{{- $_ := set $ann "checksum/token" (. | toString | sha256sum) }}
{{- end }}
{{- if $ann }}
{{- toYaml $ann }}
{{- else }}
{{- "{}" }}
{{- end }}
{{- end }}

{{/* "host:port" or ":port" -> port */}}
{{- define "gitlab-agent.portOf" -}}
{{- regexReplaceAll "^.*:" (toString .) "" }}
{{- end }}
