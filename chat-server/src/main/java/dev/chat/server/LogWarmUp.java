package dev.chat.server;

import java.io.IOException;
import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.util.PluginManager;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.xml.sax.SAXException;

/** Readies Log4j's plugin lists, pattern converters and XML parser on another thread while the options are read. */
final class LogWarmUp {

    private LogWarmUp() {
    }

    /** Starts the warm-up on a daemon thread, which touches no file and logs nothing. */
    static Thread start() {
        return Thread.ofPlatform().name("log-warm-up").daemon().start(() -> {
            new PluginManager(Node.CATEGORY).collectPlugins();
            new PluginManager(PatternConverter.CATEGORY).collectPlugins();
            PatternLayout.newBuilder().withPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%t] %c{1}: %msg%n").build();
            try (InputStream xml = LogWarmUp.class.getResourceAsStream("/log4j2.xml")) {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                factory.newDocumentBuilder().parse(xml);
            } catch (IOException | ParserConfigurationException | SAXException e) {
                // Only a warm-up: Log4j reads the configuration itself and reports what is wrong.
            }
        });
    }
}
