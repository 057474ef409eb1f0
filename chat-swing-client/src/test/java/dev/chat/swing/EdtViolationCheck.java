package dev.chat.swing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.swing.JComponent;
import javax.swing.RepaintManager;
import javax.swing.SwingUtilities;

/** A repaint manager that records every Swing component touched off the Event Dispatch Thread. */
final class EdtViolationCheck extends RepaintManager {

    private final List<String> violations = new CopyOnWriteArrayList<>();

    /** Installs a fresh check as the current repaint manager and returns it. */
    static EdtViolationCheck install() throws Exception {
        EdtViolationCheck check = new EdtViolationCheck();
        SwingUtilities.invokeAndWait(() -> RepaintManager.setCurrentManager(check));
        return check;
    }

    /** Where Swing was touched off the Event Dispatch Thread: component and calling thread. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public synchronized void addInvalidComponent(JComponent component) {
        check(component);
        super.addInvalidComponent(component);
    }

    @Override
    public void addDirtyRegion(JComponent component, int x, int y, int w, int h) {
        check(component);
        super.addDirtyRegion(component, x, y, w, h);
    }

    private void check(JComponent component) {
        if (!SwingUtilities.isEventDispatchThread()) {
            StackTraceElement[] stack = Thread.currentThread().getStackTrace();
            StringBuilder where = new StringBuilder(component.getClass().getName())
                    .append(" on thread ").append(Thread.currentThread().getName());
            for (int i = 0; i < Math.min(stack.length, 12); i++) {
                where.append("\n    at ").append(stack[i]);
            }
            violations.add(where.toString());
        }
    }
}
