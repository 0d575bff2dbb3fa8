{{- define "ciliumdash.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ciliumdash.fullname" -}}
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

{{- define "ciliumdash.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ciliumdash.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ciliumdash.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ciliumdash.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "ciliumdash.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ciliumdash.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The app's PathBase: the Ingress path when an Ingress serves a sub-path, else empty (served at the root). */}}
{{- define "ciliumdash.pathBase" -}}
{{- if and .Values.ingress.enabled (ne (trimSuffix "/" .Values.ingress.path) "") }}
{{- $path := trimSuffix "/" .Values.ingress.path }}
{{- if not (hasPrefix "/" $path) }}
{{- fail (printf "ingress.path must start with '/', not %q" .Values.ingress.path) }}
{{- end }}
{{- $path }}
{{- end }}
{{- end }}

{{/*
"true" when the dashboard listens on the pod network (0.0.0.0:8080): a sign-in mode is chosen, or anonymous access
is accepted with auth.allowAnonymous=true. Otherwise (auth.mode=None, the default) it listens on the pod's loopback
only, where kubectl port-forward (the container runtime dials localhost inside the pod) reaches it and nothing else does.
*/}}
{{- define "ciliumdash.onPodNetwork" -}}
{{- if or (ne .Values.auth.mode "None") .Values.auth.allowAnonymous }}true{{ end }}
{{- end }}

{{/* The Secret holding the metrics scrape token: the existing one, the one the chart creates, or empty. */}}
{{- define "ciliumdash.scrapeTokenSecret" -}}
{{- if .Values.metrics.scrapeToken.existingSecret }}
{{- .Values.metrics.scrapeToken.existingSecret }}
{{- else if .Values.metrics.scrapeToken.create }}
{{- printf "%s-metrics-token" (include "ciliumdash.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* The metrics path, under the app's PathBase. */}}
{{- define "ciliumdash.metricsPath" -}}
{{- printf "%s/metrics" (include "ciliumdash.pathBase" .) }}
{{- end }}

{{/* The exec ValidatingAdmissionPolicy's (cluster-scoped) name, unique per release. */}}
{{- define "ciliumdash.execPolicyName" -}}
{{- printf "%s-%s-exec" .Release.Namespace (include "ciliumdash.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The exact argv lists the dashboard execs (src/CiliumDash.Protocols/Agent/AgentCommands.cs, as src/CiliumDash/Agents
runs them: Status, StatusLegacy, Metrics, MetricsLegacy, HealthStatus), as a CEL list of lists. HealthProbe
(cilium-health status --probe) is not among them: the dashboard never runs it. Tests compare this list with the code.
*/}}
{{- define "ciliumdash.agentCommandsCel" -}}
[['cilium-dbg', 'status', '-o', 'json'], ['cilium', 'status', '-o', 'json'], ['cilium-dbg', 'metrics', 'list', '-o', 'json'], ['cilium', 'metrics', 'list', '-o', 'json'], ['cilium-health', 'status', '-o', 'json']]
{{- end }}

{{/* The address the app binds (ASPNETCORE_URLS). */}}
{{- define "ciliumdash.urls" -}}
{{- if include "ciliumdash.onPodNetwork" . }}http://+:8080{{ else }}http://127.0.0.1:8080{{ end }}
{{- end }}

{{/*
A liveness or readiness probe of the given path (dict "root" . "path" "/healthz"). On the pod network: an HTTP GET
from the kubelet. On loopback only, where the kubelet cannot connect: the same GET from inside the container, by
bash's /dev/tcp (the aspnet runtime image has bash but no curl); it passes on an HTTP 200 status line only.
*/}}
{{- define "ciliumdash.probe" -}}
{{- $path := printf "%s%s" (include "ciliumdash.pathBase" .root) .path }}
{{- if include "ciliumdash.onPodNetwork" .root }}
httpGet:
  path: {{ $path }}
  port: http
{{- else }}
exec:
  command:
    - bash
    - -c
    - {{ printf "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 && IFS= read -r status <&3 && [[ $status == HTTP/1.?' 200 '* ]]" $path | quote }}
timeoutSeconds: 3
{{- end }}
{{- end }}

{{/* Fails the render with a message naming the value, instead of a pod that stops at start. */}}
{{- define "ciliumdash.validate" -}}
{{- if not (has .Values.history.provider (list "Sqlite" "PostgreSQL")) }}
{{- fail (printf "history.provider must be Sqlite or PostgreSQL, not %q" .Values.history.provider) }}
{{- end }}
{{- if and .Values.history.enabled (eq .Values.history.provider "PostgreSQL") (not .Values.history.postgresql.existingSecret) }}
{{- fail "history.provider=PostgreSQL needs history.postgresql.existingSecret: a Secret whose key (history.postgresql.key) holds the connection string" }}
{{- end }}
{{- if not (has .Values.rbac.profile (list "exec" "readonly")) }}
{{- fail (printf "rbac.profile must be exec or readonly, not %q" .Values.rbac.profile) }}
{{- end }}
{{- $auth := .Values.auth }}
{{- if not (has $auth.mode (list "None" "Token" "OpenIdConnect" "ProxyHeader")) }}
{{- fail (printf "auth.mode must be None, Token, OpenIdConnect or ProxyHeader, not %q" $auth.mode) }}
{{- end }}
{{- if not (include "ciliumdash.onPodNetwork" .) }}
{{- $anonymous := "set auth.mode to Token, OpenIdConnect or ProxyHeader (with its auth.* values), or set auth.allowAnonymous=true to accept that anyone who reaches it sees the cluster with no sign-in" }}
{{- if .Values.ingress.enabled }}
{{- fail (printf "ingress.enabled=true with auth.mode=None would publish a dashboard with no sign-in: %s" $anonymous) }}
{{- end }}
{{- if ne .Values.service.type "ClusterIP" }}
{{- fail (printf "service.type=%s with auth.mode=None would publish a dashboard with no sign-in: %s (or keep service.type=ClusterIP and use kubectl port-forward)" .Values.service.type $anonymous) }}
{{- end }}
{{- end }}
{{- if and (eq $auth.mode "Token") (not $auth.token.existingSecret) }}
{{- fail "auth.mode=Token needs auth.token.existingSecret (the name of an existing Secret holding the token)" }}
{{- end }}
{{- if eq $auth.mode "OpenIdConnect" }}
{{- if or (not $auth.openIdConnect.authority) (not $auth.openIdConnect.clientId) (not $auth.openIdConnect.existingSecret) }}
{{- fail "auth.mode=OpenIdConnect needs auth.openIdConnect.authority, .clientId and .existingSecret (an existing Secret holding the client secret)" }}
{{- end }}
{{- end }}
{{- if and (eq $auth.mode "ProxyHeader") (not $auth.proxyHeader.trustedProxies) }}
{{- fail "auth.mode=ProxyHeader needs auth.proxyHeader.trustedProxies (CIDRs of the proxies allowed to set the user header)" }}
{{- end }}
{{- $metrics := .Values.metrics }}
{{- if and $metrics.scrapeToken.existingSecret $metrics.scrapeToken.create }}
{{- fail "metrics.scrapeToken: set either .existingSecret (a Secret you create) or .create=true (the chart creates one), not both" }}
{{- end }}
{{- if $metrics.serviceMonitor.enabled }}
{{- if not (include "ciliumdash.onPodNetwork" .) }}
{{- fail "metrics.serviceMonitor.enabled with auth.mode=None: the dashboard listens on its pod's loopback only, which Prometheus cannot scrape; set auth.mode (Token, OpenIdConnect or ProxyHeader) and metrics.scrapeToken, or auth.allowAnonymous=true" }}
{{- end }}
{{- if and (ne $auth.mode "None") (not (include "ciliumdash.scrapeTokenSecret" .)) }}
{{- fail (printf "metrics.serviceMonitor.enabled with auth.mode=%s needs metrics.scrapeToken.existingSecret (or metrics.scrapeToken.create=true): /metrics requires sign-in in that mode, and Prometheus sends the scrape token" $auth.mode) }}
{{- end }}
{{- end }}
{{- if and (eq .Values.rbac.profile "exec") .Values.rbac.create .Values.rbac.execPolicy.enabled (semverCompare "<1.30.0-0" .Capabilities.KubeVersion.Version) }}
{{- fail (printf "rbac.execPolicy.enabled needs Kubernetes 1.30 or later (ValidatingAdmissionPolicy, admissionregistration.k8s.io/v1), this is %s: set rbac.execPolicy.enabled=false (RBAC alone then limits exec) or rbac.profile=readonly" .Capabilities.KubeVersion.Version) }}
{{- end }}
{{- if and .Values.relay.tls.enabled (not .Values.relay.tls.existingSecret) }}
{{- fail "relay.tls.enabled needs relay.tls.existingSecret (an existing Secret with ca.crt, and tls.crt/tls.key for mutual TLS)" }}
{{- end }}
{{- if and .Values.networkPolicy.enabled (empty .Values.networkPolicy.kubernetesApi.cidrs) }}
{{- fail "networkPolicy.enabled needs networkPolicy.kubernetesApi.cidrs: the API server's addresses (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)" }}
{{- end }}
{{- end }}

{{/*
The container's environment: the dashboard's configuration as CiliumDash__Section__Key variables. The app rejects
unknown keys at start, so optional keys appear only when their feature is switched on.
*/}}
{{- define "ciliumdash.env" -}}
- name: ASPNETCORE_URLS
  value: {{ include "ciliumdash.urls" . | quote }}
{{- if not .Values.history.enabled }}
- name: CiliumDash__History__Enabled
  value: "false"
{{- else if eq .Values.history.provider "PostgreSQL" }}
- name: CiliumDash__History__Provider
  value: "PostgreSQL"
- name: CiliumDash__History__ConnectionString
  valueFrom:
    secretKeyRef:
      name: {{ .Values.history.postgresql.existingSecret | quote }}
      key: {{ .Values.history.postgresql.key | quote }}
{{- else }}
- name: CiliumDash__History__Path
  value: "/var/lib/ciliumdash/history"
{{- end }}
- name: CiliumDash__Source
  value: "Kubernetes"
- name: CiliumDash__Kubernetes__Namespace
  value: {{ .Values.cilium.namespace | quote }}
- name: CiliumDash__Kubernetes__AgentSelector
  value: {{ .Values.cilium.agentSelector | quote }}
{{- with .Values.relay.address }}
- name: CiliumDash__Relay__Address
  value: {{ . | quote }}
{{- end }}
{{- if .Values.relay.tls.enabled }}
- name: CiliumDash__Relay__Tls__CaFile
  value: "/etc/ciliumdash/relay-tls/ca.crt"
- name: CiliumDash__Relay__Tls__CertFile
  value: "/etc/ciliumdash/relay-tls/tls.crt"
- name: CiliumDash__Relay__Tls__KeyFile
  value: "/etc/ciliumdash/relay-tls/tls.key"
{{- with .Values.relay.tls.serverName }}
- name: CiliumDash__Relay__Tls__ServerName
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if eq .Values.rbac.profile "readonly" }}
- name: CiliumDash__Access__ReadOnlyProfile
  value: "true"
{{- end }}
{{- with include "ciliumdash.pathBase" . }}
- name: CiliumDash__PathBase
  value: {{ . | quote }}
{{- end }}
{{- if and .Values.ingress.enabled .Values.ingress.knownProxies }}
- name: CiliumDash__ForwardedHeaders__KnownProxies
  value: {{ .Values.ingress.knownProxies | quote }}
{{- end }}
{{- $auth := .Values.auth }}
{{- if and (eq $auth.mode "None") $auth.allowAnonymous }}
- name: CiliumDash__Auth__AllowAnonymous
  value: "true"
{{- end }}
{{- if ne $auth.mode "None" }}
- name: CiliumDash__Auth__Mode
  value: {{ $auth.mode | quote }}
{{- end }}
{{- if eq $auth.mode "Token" }}
- name: CiliumDash__Auth__Token
  valueFrom:
    secretKeyRef:
      name: {{ $auth.token.existingSecret | quote }}
      key: {{ $auth.token.key | quote }}
{{- else if eq $auth.mode "OpenIdConnect" }}
- name: CiliumDash__Auth__OpenIdConnect__Authority
  value: {{ $auth.openIdConnect.authority | quote }}
- name: CiliumDash__Auth__OpenIdConnect__ClientId
  value: {{ $auth.openIdConnect.clientId | quote }}
- name: CiliumDash__Auth__OpenIdConnect__ClientSecret
  valueFrom:
    secretKeyRef:
      name: {{ $auth.openIdConnect.existingSecret | quote }}
      key: {{ $auth.openIdConnect.clientSecretKey | quote }}
{{- with $auth.openIdConnect.requiredClaim }}
- name: CiliumDash__Auth__OpenIdConnect__RequiredClaim
  value: {{ . | quote }}
{{- end }}
{{- else if eq $auth.mode "ProxyHeader" }}
- name: CiliumDash__Auth__ProxyHeader__UserHeader
  value: {{ $auth.proxyHeader.userHeader | quote }}
- name: CiliumDash__Auth__ProxyHeader__GroupsHeader
  value: {{ $auth.proxyHeader.groupsHeader | quote }}
- name: CiliumDash__Auth__ProxyHeader__TrustedProxies
  value: {{ $auth.proxyHeader.trustedProxies | quote }}
{{- end }}
{{- with include "ciliumdash.scrapeTokenSecret" . }}
- name: CiliumDash__Metrics__ScrapeToken
  valueFrom:
    secretKeyRef:
      name: {{ . | quote }}
      key: {{ $.Values.metrics.scrapeToken.key | quote }}
{{- end }}
{{- range $key, $value := .Values.settings }}
- name: {{ printf "CiliumDash__%s" ($key | replace ":" "__") | quote }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* RBAC rules in the Cilium namespace, per profile. No Secrets, no write verbs. */}}
{{- define "ciliumdash.namespacedRules" -}}
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["apps"]
  resources: ["daemonsets", "deployments"]
  verbs: ["get", "list", "watch"]
# The hubble-relay Service's endpoints: a relay that becomes Ready again is reconnected at once, not after a backoff.
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["get", "list", "watch"]
{{- if eq .Values.rbac.profile "exec" }}
# The fixed read-only agent commands (cilium-dbg status, cilium-health status). The Kubernetes client execs over
# WebSocket, an HTTP GET that API servers authorize as "get" on pods/exec; from Kubernetes 1.35 they also check
# "create" (as for kubectl's SPDY POST). Both verbs, on pods/exec only, in this namespace only.
- apiGroups: [""]
  resources: ["pods/exec"]
  verbs: ["get", "create"]
{{- end }}
{{- end }}

{{/* Cluster-wide reads: CiliumNode is cluster-scoped, CiliumEndpoints live in every application namespace. */}}
{{- define "ciliumdash.clusterRules" -}}
- apiGroups: ["cilium.io"]
  resources: ["ciliumendpoints", "ciliumnodes"]
  verbs: ["get", "list", "watch"]
# Cluster events for the timeline and the history: network policies created, changed or deleted, nodes joining and
# leaving. Read-only, like everything else here.
- apiGroups: ["cilium.io"]
  resources: ["ciliumnetworkpolicies", "ciliumclusterwidenetworkpolicies"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["get", "list", "watch"]
{{- end }}

{{/* The SQLite history needs a writable folder: the only one in the otherwise read-only pod. */}}
{{- define "ciliumdash.historyVolume" -}}
{{- if and .Values.history.enabled (eq .Values.history.provider "Sqlite") }}true{{- end }}
{{- end }}
