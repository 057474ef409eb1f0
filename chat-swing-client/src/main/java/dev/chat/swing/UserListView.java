package dev.chat.swing;

import com.formdev.flatlaf.util.UIScale;
import dev.chat.protocol.NameRules;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.event.MouseEvent;
import java.awt.event.MouseListener;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.DefaultListCellRenderer;
import javax.swing.DefaultListModel;
import javax.swing.Icon;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JMenuItem;
import javax.swing.JPanel;
import javax.swing.JPopupMenu;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.ListCellRenderer;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;

/**
 * Who is in the room in view, each with their colour, and a field that searches them (for a
 * large room, of which only the count is known, by asking the server); double-click or the
 * context menu starts a private conversation or asks for a direct connection.
 */
final class UserListView {

    private final DefaultListModel<String> names = new DefaultListModel<>();
    private final JList<String> list = new JList<>(names);
    private final JLabel header = new JLabel();
    private final JTextField search = new JTextField();
    private final JPanel panel = new JPanel(new BorderLayout());
    private final JPopupMenu menu = new JPopupMenu();
    private final Consumer<String> onPrivate;
    private final Consumer<String> onDirect;
    private String me;

    /**
     * @param onPrivate called with a user's name when the user asks to write to them privately
     * @param onDirect  called with a user's name when the user asks them for a direct connection
     * @param onSearch  called with what the search field holds whenever it changes (empty: no search)
     */
    UserListView(Consumer<String> onPrivate, Consumer<String> onDirect, Consumer<String> onSearch) {
        this.onPrivate = onPrivate;
        this.onDirect = onDirect;
        search.putClientProperty("JTextField.placeholderText", "Find a name");
        search.putClientProperty("JTextField.showClearButton", true);
        search.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                onSearch.accept(searchText());
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                onSearch.accept(searchText());
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                onSearch.accept(searchText());
            }
        });
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.setCellRenderer(new Renderer());
        list.addMouseListener(new Clicks());
        JMenuItem privateItem = new JMenuItem("Send a private message");
        privateItem.addActionListener(e -> openSelected());
        menu.add(privateItem);
        JMenuItem directItem = new JMenuItem("Direct connection");
        directItem.setName("direct-connection");
        directItem.setToolTipText("Ask them to connect your clients without the server; each learns the other's address");
        directItem.addActionListener(e -> {
            String name = list.getSelectedValue();
            if (name != null && !isMe(name)) {
                onDirect.accept(name);
            }
        });
        menu.add(directItem);
        header.setBorder(BorderFactory.createEmptyBorder(8, 10, 6, 10));
        JScrollPane scroll = new JScrollPane(list);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        JPanel top = new JPanel(new BorderLayout());
        top.add(header, BorderLayout.NORTH);
        JPanel searchRow = new JPanel(new BorderLayout());
        searchRow.setBorder(BorderFactory.createEmptyBorder(0, 8, 6, 8));
        searchRow.add(search, BorderLayout.CENTER);
        top.add(searchRow, BorderLayout.SOUTH);
        panel.add(top, BorderLayout.NORTH);
        panel.add(scroll, BorderLayout.CENTER);
        themeChanged();
        show("Online", List.of());
    }

    JComponent component() {
        return panel;
    }

    void setMe(String name) {
        me = name;
        list.repaint();
    }

    /**
     * Shows {@code users}, all of the people in {@code where}, keeping the selection when that
     * user is still there.
     */
    void show(String where, List<String> users) {
        heading(where, users.size(), false);
        showNames(users);
    }

    /**
     * Heads the list with the room {@code where} and how many are in it: for a large room,
     * whose names are not all known, as {@code N people}.
     */
    void heading(String where, int total, boolean large) {
        header.setText(where + " \u2014 " + (large ? total + " people" : Integer.toString(total)));
    }

    /** Shows {@code users}, e.g. those a search found, under the heading as it is; keeps the selection when it can. */
    void showNames(List<String> users) {
        String selected = list.getSelectedValue();
        names.clear();
        names.addAll(users);
        if (selected != null) {
            list.setSelectedValue(selected, false);
        }
    }

    /** What the search field holds, without blanks around it; empty when nobody is searched for. */
    String searchText() {
        return search.getText().strip();
    }

    /** Empties the search field. */
    void clearSearch() {
        search.setText("");
    }

    /** The list of names, for tests that select one. */
    JList<String> list() {
        return list;
    }

    /** The context menu of the list, for tests that choose in it. */
    JPopupMenu menu() {
        return menu;
    }

    /** The search field, for tests that type into it. */
    JTextField searchField() {
        return search;
    }

    /** The heading above the names. */
    String heading() {
        return header.getText();
    }

    /** The names shown, in order. */
    List<String> shown() {
        return java.util.Collections.list(names.elements());
    }

    void themeChanged() {
        header.setFont(UIManager.getFont("h4.font") != null ? UIManager.getFont("h4.font") : header.getFont());
        header.setForeground(LookAndFeelSetup.color("Label.disabledForeground", Color.GRAY));
        list.repaint();
    }

    private boolean isMe(String name) {
        return me != null && NameRules.key(name).equals(NameRules.key(me));
    }

    private void openSelected() {
        String name = list.getSelectedValue();
        if (name != null && !isMe(name)) {
            onPrivate.accept(name);
        }
    }

    /** Double-click opens a private conversation; the popup trigger selects the row and shows the menu. */
    private final class Clicks implements MouseListener {
        @Override
        public void mouseClicked(MouseEvent e) {
            if (SwingUtilities.isLeftMouseButton(e) && e.getClickCount() == 2) {
                openSelected();
            }
        }

        @Override
        public void mousePressed(MouseEvent e) {
            popup(e);
        }

        @Override
        public void mouseReleased(MouseEvent e) {
            popup(e);
        }

        private void popup(MouseEvent e) {
            if (!e.isPopupTrigger()) {
                return;
            }
            int row = list.locationToIndex(e.getPoint());
            if (row < 0) {
                return;
            }
            list.setSelectedIndex(row);
            if (!isMe(names.get(row))) {
                menu.show(list, e.getX(), e.getY());
            }
        }

        @Override
        public void mouseEntered(MouseEvent e) {
        }

        @Override
        public void mouseExited(MouseEvent e) {
        }
    }

    /** A coloured dot and the name; the user's own name says so. */
    private final class Renderer implements ListCellRenderer<String> {
        private final DefaultListCellRenderer label = new DefaultListCellRenderer();

        @Override
        public Component getListCellRendererComponent(JList<? extends String> owner, String name, int index,
                boolean selected, boolean focused) {
            String text = isMe(name) ? name + "  (you)" : name;
            label.getListCellRendererComponent(owner, text, index, selected, focused);
            label.setIcon(new Dot(NameColors.of(name, LookAndFeelSetup.isDark())));
            label.setIconTextGap(8);
            label.setBorder(BorderFactory.createEmptyBorder(4, 10, 4, 10));
            return label;
        }
    }

    /** A small filled circle. */
    private record Dot(Color color) implements Icon {

        @Override
        public void paintIcon(Component c, Graphics g, int x, int y) {
            Graphics2D g2 = (Graphics2D) g.create();
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setColor(color);
            g2.fillOval(x, y, getIconWidth(), getIconHeight());
            g2.dispose();
        }

        @Override
        public int getIconWidth() {
            return UIScale.scale(10);
        }

        @Override
        public int getIconHeight() {
            return UIScale.scale(10);
        }
    }
}
