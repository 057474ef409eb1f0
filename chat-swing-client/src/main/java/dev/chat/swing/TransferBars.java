package dev.chat.swing;

import dev.chat.swing.model.ModelEvent;
import java.awt.BorderLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;

/**
 * The files under way over direct connections, one progress bar each, above the status line;
 * hidden while there are none. Touched on the Event Dispatch Thread only.
 */
final class TransferBars {

    private final JPanel panel = new JPanel();
    /** The bar of each file under way, by peer, id and direction. */
    private final Map<String, JProgressBar> bars = new LinkedHashMap<>();
    /** How many bars were ever shown; a fast file's bar may come and go between two looks. */
    private int shown;

    TransferBars() {
        panel.setLayout(new BoxLayout(panel, BoxLayout.Y_AXIS));
        panel.setBorder(BorderFactory.createEmptyBorder(0, 8, 4, 8));
        panel.setVisible(false);
    }

    JComponent component() {
        return panel;
    }

    /** Shows how far a file is, adding its bar when new and removing it once finished. */
    void show(ModelEvent.FileProgress progress) {
        String key = progress.peer() + " " + progress.id() + " " + progress.outgoing();
        JProgressBar bar = bars.get(key);
        if (progress.finished()) {
            if (bar != null) {
                bars.remove(key);
                panel.remove(bar.getParent());
            }
        } else {
            if (bar == null) {
                bar = new JProgressBar(0, 100);
                bar.setName("transfer");
                bar.setStringPainted(true);
                JPanel row = new JPanel(new BorderLayout(8, 0));
                row.add(new JLabel((progress.outgoing() ? "To " : "From ") + progress.peer() + ": "
                        + progress.fileName()), BorderLayout.WEST);
                row.add(bar, BorderLayout.CENTER);
                panel.add(row);
                bars.put(key, bar);
                shown++;
            }
            int percent = progress.size() == 0 ? 100 : (int) (progress.done() * 100 / progress.size());
            bar.setValue(percent);
            bar.setString(percent + "%");
        }
        panel.setVisible(!bars.isEmpty());
        panel.revalidate();
        panel.repaint();
    }

    /** How many files are under way. */
    int count() {
        return bars.size();
    }

    /** How many bars were shown since the window opened. */
    int shown() {
        return shown;
    }
}
