package io.sekisho.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Copies everything logback logs in this JVM (the proxy's own logging included, at the levels
 * of logback-test.xml) to a file while a test class runs, so a test can scan the proxy's log
 * output as an operator's log collector would store it.
 */
final class LogCapture {
    private final FileAppender<ILoggingEvent> appender;
    private final Path file;

    private LogCapture(FileAppender<ILoggingEvent> appender, Path file) {
        this.appender = appender;
        this.file = file;
    }

    static LogCapture start(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n%ex");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("sekisho-e2e-capture");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.setImmediateFlush(true);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return new LogCapture(appender, file);
    }

    Path file() {
        return file;
    }

    void stop() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }
}
