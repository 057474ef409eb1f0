package dev.chat.swing;

import com.formdev.flatlaf.FlatClientProperties;
import java.awt.event.KeyEvent;
import java.awt.event.KeyListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.JTextField;

/** The line the user types in: Enter sends it, Up and Down bring back what was sent before. */
final class InputBox {

    private static final int MAX_RECALL = 200;

    private final JTextField field = new JTextField();
    private final List<String> sent = new ArrayList<>();
    private final Consumer<String> onSubmit;
    /** Where Up/Down stand in {@link #sent}; {@code sent.size()} means the line being written. */
    private int recall;
    private String draft = "";

    /** @param onSubmit called on the Event Dispatch Thread with each non-blank line the user sends */
    InputBox(Consumer<String> onSubmit) {
        this.onSubmit = onSubmit;
        field.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT,
                "Write a message \u2014 Enter sends, /help lists the commands");
        field.putClientProperty(FlatClientProperties.STYLE, "margin: 6,8,6,8");
        field.addActionListener(e -> submit());
        field.addKeyListener(new Recall());
    }

    JTextField component() {
        return field;
    }

    private void submit() {
        String line = field.getText();
        if (line.isBlank()) {
            return;
        }
        if (sent.isEmpty() || !sent.getLast().equals(line)) {
            sent.add(line);
            if (sent.size() > MAX_RECALL) {
                sent.removeFirst();
            }
        }
        recall = sent.size();
        draft = "";
        field.setText("");
        onSubmit.accept(line);
    }

    private void move(int step) {
        int target = recall + step;
        if (target < 0 || target > sent.size()) {
            return;
        }
        if (recall == sent.size()) {
            draft = field.getText();
        }
        recall = target;
        field.setText(recall == sent.size() ? draft : sent.get(recall));
    }

    /** Up and Down walk through the sent lines. */
    private final class Recall implements KeyListener {
        @Override
        public void keyPressed(KeyEvent e) {
            if (e.getKeyCode() == KeyEvent.VK_UP) {
                move(-1);
                e.consume();
            } else if (e.getKeyCode() == KeyEvent.VK_DOWN) {
                move(1);
                e.consume();
            }
        }

        @Override
        public void keyTyped(KeyEvent e) {
        }

        @Override
        public void keyReleased(KeyEvent e) {
        }
    }
}
