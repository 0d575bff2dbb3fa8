# syntax=docker/dockerfile:1
# CiliumDash images, built from the repository root:
#   docker build -t ciliumdash .                                  the dashboard (default, last stage)
#   docker build --target simulator -t ciliumdash-simulator .     the standalone simulated cluster (docker-compose.yml)
# Both run as the images' non-root user (uid 1654) with a read-only root filesystem and no writable volume: logs go to
# stdout, and ASP.NET Core keeps its data-protection keys in memory (the chart and docker-compose.yml run them so).
# The simulator alone writes one file, the kubeconfig for the dashboard, into the volume docker-compose.yml shares.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so that a source change does not re-download packages.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/CiliumDash.Protocols/CiliumDash.Protocols.csproj src/CiliumDash.Protocols/
COPY src/CiliumDash.Simulator/CiliumDash.Simulator.csproj src/CiliumDash.Simulator/
COPY src/CiliumDash/CiliumDash.csproj src/CiliumDash/
RUN dotnet restore src/CiliumDash/CiliumDash.csproj
COPY protos/ protos/
COPY src/ src/
# The csproj links the repository's top-level wwwroot/ (../../wwwroot from src/CiliumDash); its build fails without it.
COPY wwwroot/ wwwroot/
RUN dotnet publish src/CiliumDash -c Release -o /app --no-restore \
 && dotnet publish src/CiliumDash.Simulator -c Release -o /simulator --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS simulator
WORKDIR /simulator
# The folder the simulator writes its kubeconfig into (docker-compose.yml mounts a volume shared with the dashboard here;
# a new named volume takes this folder's owner, so the non-root user can write to it).
RUN mkdir -p /var/lib/ciliumdash-sim && chown "$APP_UID" /var/lib/ciliumdash-sim
COPY --from=build /simulator ./
USER $APP_UID
EXPOSE 4245 6443
ENTRYPOINT ["dotnet", "CiliumDash.Simulator.dll"]
CMD ["--relay-listen", "0.0.0.0:4245", "--kube-listen", "0.0.0.0:6443"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS dashboard
WORKDIR /app
COPY --from=build /app ./
# A non-privileged port on every interface (the app alone defaults to 127.0.0.1:5080, which a container cannot publish).
# ASPNETCORE_HTTP_PORTS from the base image is cleared so that only ASPNETCORE_URLS decides.
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_NOLOGO=1
USER $APP_UID
EXPOSE 8080
# Liveness is GET /healthz, readiness GET /readyz (the chart's probes); the image has no curl for a HEALTHCHECK.
ENTRYPOINT ["dotnet", "CiliumDash.dll"]
