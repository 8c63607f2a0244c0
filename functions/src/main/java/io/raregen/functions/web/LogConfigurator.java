package io.raregen.functions.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * Logback set up in code instead of logback.xml: parsing the XML configuration cost about a
 * fifth of the Lambda cold start. One JSON object per line on the console (CloudWatch Logs on Lambda,
 * queryable with Logs Insights), with MDC and structured arguments as fields; plain lines when {@link #FORMAT}
 * is {@code TEXT}, which the local Netty host sets unless told otherwise. INFO by default.
 */
public class LogConfigurator extends ContextAwareBase implements Configurator {

    /** System property or environment variable: {@code TEXT} for plain lines (the local Netty host's default), else JSON. */
    public static final String FORMAT = "LOG_APPENDER";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(text() ? textEncoder(context) : jsonEncoder(context));
        console.start();

        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static boolean text() {
        String format = System.getProperty(FORMAT, System.getenv(FORMAT));
        return "TEXT".equalsIgnoreCase(format);
    }

    private static LogstashEncoder jsonEncoder(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    private static PatternLayoutEncoder textEncoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        return encoder;
    }
}
