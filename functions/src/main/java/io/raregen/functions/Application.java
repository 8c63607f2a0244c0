package io.raregen.functions;

import io.micronaut.runtime.Micronaut;
import io.raregen.functions.web.LogConfigurator;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** Entry point for the local Netty host; on AWS the Lambda runtime enters through the API Gateway v2 handler instead. */
@OpenAPIDefinition(info = @Info(
        title = "RareGen Publisher API",
        version = "0.1.0",
        description = "Register identity keys, publish client-signed records onto BSV, follow and verify them."))
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        // plain-text logs for a person at a terminal unless LOG_APPENDER=JSON is asked for; the Lambda path
        // never runs this method and keeps JSON (LogConfigurator)
        if (System.getProperty(LogConfigurator.FORMAT) == null && System.getenv(LogConfigurator.FORMAT) == null) {
            System.setProperty(LogConfigurator.FORMAT, "TEXT");
        }
        // "local" turns on Flyway and the Swagger UI; the Lambda path never runs this method.
        Micronaut.build(args).mainClass(Application.class).defaultEnvironments("local").start();
    }
}
