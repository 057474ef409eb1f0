package dev.chat.swing;

import com.formdev.flatlaf.FlatClientProperties;
import dev.chat.client.ServerAddress;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.Protocol;
import dev.chat.swing.model.ConnectOutcome;
import java.awt.Color;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.UIManager;
import javax.swing.WindowConstants;

/**
 * Asks for host (or several, {@code a, b:5556}), port, TLS, the server's password (for servers that have one) and
 * name. Problems are shown in the dialog in plain words, next to the field to change, and the dialog stays open
 * until a connection works or the user gives up.
 */
final class ConnectDialog {

    /** What the dialog asks its owner to do. */
    interface Actions {
        /**
         * Connect with these values, which the dialog has checked.
         *
         * @param host one server, or several separated by commas, as typed
         * @param port the port of the servers typed without one
         * @param password the server's password, empty when none was typed
         */
        void connect(String host, int port, boolean tls, String password, String name);

        /** The user closed the dialog without connecting. */
        void cancel();
    }

    private final JDialog dialog = new JDialog((java.awt.Frame) null, "Connect to a chat server", false);
    private final JTextField host = new JTextField(22);
    private final JTextField port = new JTextField(6);
    private final JCheckBox tls = new JCheckBox("Use TLS (encrypted)");
    private final JPasswordField password = new JPasswordField(18);
    private final JTextField name = new JTextField(18);
    private final JTextArea problem = new JTextArea(2, 28);
    private final JButton connect = new JButton("Connect");
    private final JButton cancel = new JButton("Cancel");
    private final Actions actions;

    ConnectDialog(String initialHost, int initialPort, boolean initialTls, String initialPassword, String initialName,
            Actions actions) {
        this.actions = actions;
        host.setText(initialHost);
        port.setText(Integer.toString(initialPort));
        tls.setSelected(initialTls);
        password.setText(initialPassword == null ? "" : initialPassword);
        name.setText(initialName);
        name.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, "letters, digits, _ - .");
        password.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, "only if the server has one");
        host.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, "host, or several: a, b:5556");
        host.setToolTipText("One server, or several separated by commas: the first that answers is used, and the"
                + " next when it goes away");
        tls.addActionListener(e -> switchDefaultPort());

        problem.setEditable(false);
        problem.setFocusable(false);
        problem.setLineWrap(true);
        problem.setWrapStyleWord(true);
        problem.setOpaque(false);
        problem.setBorder(BorderFactory.createEmptyBorder());
        problem.setFont(UIManager.getFont("Label.font"));

        JLabel title = new JLabel("Join the chat");
        title.putClientProperty(FlatClientProperties.STYLE_CLASS, "h2");

        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(18, 22, 16, 22));
        GridBagConstraints c = new GridBagConstraints();
        c.insets = new Insets(4, 4, 4, 4);
        c.anchor = GridBagConstraints.WEST;
        c.gridx = 0;
        c.gridy = 0;
        c.gridwidth = 2;
        form.add(title, c);
        c.gridwidth = 1;
        addRow(form, c, 1, "Server", host);
        addRow(form, c, 2, "Port", port);
        c.gridx = 1;
        c.gridy = 3;
        form.add(tls, c);
        addRow(form, c, 4, "Server password", password);
        addRow(form, c, 5, "Your name", name);
        c.gridx = 0;
        c.gridy = 6;
        c.gridwidth = 2;
        c.fill = GridBagConstraints.HORIZONTAL;
        form.add(problem, c);
        JPanel buttons = new JPanel();
        buttons.add(cancel);
        buttons.add(connect);
        c.gridy = 7;
        c.fill = GridBagConstraints.NONE;
        c.anchor = GridBagConstraints.EAST;
        form.add(buttons, c);

        connect.addActionListener(e -> submit());
        cancel.addActionListener(e -> giveUp());
        dialog.getRootPane().setDefaultButton(connect);
        dialog.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        dialog.addWindowListener(new Closing());
        dialog.setIconImages(AppIcon.images());
        dialog.setContentPane(form);
        dialog.pack();
        dialog.setResizable(false);
        dialog.setLocationRelativeTo(null);
    }

    void show() {
        dialog.setVisible(true);
        (name.getText().isEmpty() ? name : connect).requestFocusInWindow();
    }

    JDialog window() {
        return dialog;
    }

    void close() {
        dialog.dispose();
    }

    /** Shows how a connect request ended badly, marking only the fields the user has to change. */
    void showFailure(ConnectOutcome outcome) {
        setBusy(false);
        switch (outcome) {
            case ConnectOutcome.NameRefused refused -> showProblem(refused.message(), name);
            case ConnectOutcome.Unreachable unreachable -> showProblem(unreachable.message(), host, port);
            case ConnectOutcome.PasswordRefused refused -> showProblem(refused.message(), password);
            // Not a field to fix: the user has to find out why the certificate is not the one trusted.
            case ConnectOutcome.Untrusted untrusted -> showProblem(untrusted.message());
            case ConnectOutcome.Connected connected -> showProblem(null);
        }
    }

    /** The problem text shown, or an empty string. */
    String problemText() {
        return problem.getText();
    }

    JTextField nameField() {
        return name;
    }

    JTextField hostField() {
        return host;
    }

    JTextField portField() {
        return port;
    }

    JCheckBox tlsBox() {
        return tls;
    }

    JPasswordField passwordField() {
        return password;
    }

    /** Whether {@code field} is outlined as the one to fix. */
    static boolean isMarked(JTextField field) {
        return FlatClientProperties.OUTLINE_ERROR.equals(field.getClientProperty(FlatClientProperties.OUTLINE));
    }

    JButton connectButton() {
        return connect;
    }

    private void submit() {
        String hostText = host.getText().strip();
        if (hostText.isEmpty()) {
            showProblem("Please enter the server's address, for example localhost.", host);
            return;
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port.getText().strip());
        } catch (NumberFormatException e) {
            portNumber = -1;
        }
        if (portNumber < 1 || portNumber > 65535) {
            showProblem("The port is a number from 1 to 65535.", port);
            return;
        }
        try {
            ServerAddress.parseList(hostText, portNumber);
        } catch (IllegalArgumentException e) {
            String why = e.getMessage();
            showProblem(Character.toUpperCase(why.charAt(0)) + why.substring(1) + ".", host);
            return;
        }
        String nameText = name.getText().strip();
        NameRules.Problem nameProblem = NameRules.check(nameText);
        if (nameProblem != null) {
            String why = nameProblem.explanation();
            showProblem(Character.toUpperCase(why.charAt(0)) + why.substring(1) + ".", name);
            return;
        }
        showProblem(null);
        setBusy(true);
        actions.connect(hostText, portNumber, tls.isSelected(), new String(password.getPassword()), nameText);
    }

    /** Follows the TLS box with the port, unless the user typed one other than the usual port. */
    private void switchDefaultPort() {
        int from = tls.isSelected() ? Protocol.DEFAULT_PORT : Protocol.DEFAULT_TLS_PORT;
        int to = tls.isSelected() ? Protocol.DEFAULT_TLS_PORT : Protocol.DEFAULT_PORT;
        if (port.getText().strip().equals(Integer.toString(from))) {
            port.setText(Integer.toString(to));
        }
    }

    private void giveUp() {
        dialog.dispose();
        actions.cancel();
    }

    private void setBusy(boolean busy) {
        host.setEnabled(!busy);
        port.setEnabled(!busy);
        tls.setEnabled(!busy);
        password.setEnabled(!busy);
        name.setEnabled(!busy);
        connect.setEnabled(!busy);
        connect.setText(busy ? "Connecting\u2026" : "Connect");
    }

    /** Shows {@code text} (null clears it) and outlines exactly the {@code culprits} in the error colour. */
    private void showProblem(String text, JTextField... culprits) {
        for (JTextField field : new JTextField[] {host, port, password, name}) {
            field.putClientProperty(FlatClientProperties.OUTLINE, null);
        }
        problem.setText(text == null ? "" : text);
        problem.setForeground(LookAndFeelSetup.color("Actions.Red", new Color(0xCF222E)));
        for (JTextField field : culprits) {
            field.putClientProperty(FlatClientProperties.OUTLINE, FlatClientProperties.OUTLINE_ERROR);
        }
        if (culprits.length > 0) {
            culprits[0].requestFocusInWindow();
            culprits[0].selectAll();
        }
        dialog.pack();
    }

    private static void addRow(JPanel form, GridBagConstraints c, int row, String label, JTextField field) {
        c.gridx = 0;
        c.gridy = row;
        c.fill = GridBagConstraints.NONE;
        form.add(new JLabel(label), c);
        c.gridx = 1;
        c.fill = GridBagConstraints.HORIZONTAL;
        form.add(field, c);
    }

    /** Closing the dialog is giving up. */
    private final class Closing extends WindowAdapter {
        @Override
        public void windowClosing(WindowEvent e) {
            giveUp();
        }
    }
}
