package dev.chat.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs code when the process receives a POSIX signal (INT, TERM, HUP).
 *
 * <p>{@code sun.misc.Signal} is the JDK's only way to catch SIGHUP and to answer SIGTERM
 * with exit status 0. It is reached reflectively because javac's "internal proprietary API"
 * warning cannot be suppressed, and the build treats warnings as errors.
 */
final class Signals {

    private static final Logger log = LogManager.getLogger(Signals.class);

    private Signals() {
    }

    /**
     * Runs {@code action} on the JVM's signal thread each time {@code name} arrives.
     *
     * @return whether the handler was installed: false where the platform lacks the signal,
     *         and where the process was started with it ignored (as {@code nohup} does with
     *         SIGHUP), which the JVM leaves as it is; both are reported
     */
    static boolean handle(String name, Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            InvocationHandler onSignal = (Object proxy, Method method, Object[] arguments) -> {
                if (method.getName().equals("handle")) {
                    action.run();
                    return null;
                }
                return method.invoke(action, arguments);
            };
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(),
                    new Class<?>[] {handlerClass}, onSignal);
            Object previous = signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            if (previous == handlerClass.getField("SIG_IGN").get(null)) {
                // A shell starts background jobs with SIGINT ignored: normal, Ctrl+C is not for them.
                log.log(name.equals("INT") ? Level.INFO : Level.WARN, "SIG{} is ignored by this process (it was "
                        + "started with the signal ignored, as nohup does with SIGHUP), so it does nothing here; "
                        + "see docs/admin.md, Signals", name);
                return false;
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("cannot handle SIG{} on this platform: {}", name, e.getMessage());
            return false;
        }
    }
}
