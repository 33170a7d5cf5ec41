# MHA Notebook as one container: docker build -t mha-notebook . && docker run -p 8080:8080 mha-notebook
# It runs the same build and start commands as bin/serve (DeploymentCommandsTest checks that).

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
COPY content content
COPY web web
RUN ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 notebook
COPY --from=build --chown=notebook /src/target/quarkus-app /app/target/quarkus-app
USER notebook
WORKDIR /app
ENV JAVA_OPTS="-Xms1g -Xmx1g"
ENV PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s \
    CMD curl -fs http://localhost:8080/q/health/live || exit 1
CMD ["sh", "-c", "exec java ${JAVA_OPTS:--Xms1g -Xmx1g} -Dquarkus.http.port=\"${PORT:-8080}\" -jar target/quarkus-app/quarkus-run.jar"]
