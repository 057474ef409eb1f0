package dev.chat.swing;

import dev.chat.swing.model.RoomInfo;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.ListSelectionModel;
import javax.swing.WindowConstants;
import javax.swing.table.AbstractTableModel;

/** The server's rooms with how many are in each and their topics; double-click or Join joins the selected one. */
final class RoomListDialog {

    private final JDialog dialog;
    private final RoomTable rooms = new RoomTable();
    private final JTable table = new JTable(rooms);
    private final JLabel state = new JLabel("Asking the server\u2026");
    private final JButton join = new JButton("Join");
    private final Consumer<String> onJoin;

    /**
     * @param onJoin    called with a room's name when the user chooses to join it
     * @param onRefresh called when the user asks for the list again
     */
    RoomListDialog(JFrame owner, Consumer<String> onJoin, Runnable onRefresh) {
        this.onJoin = onJoin;
        dialog = new JDialog(owner, "Rooms", false);
        dialog.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.setFillsViewportHeight(true);
        table.getColumnModel().getColumn(0).setPreferredWidth(140);
        table.getColumnModel().getColumn(1).setPreferredWidth(60);
        table.getColumnModel().getColumn(2).setPreferredWidth(300);
        table.getSelectionModel().addListSelectionListener(e -> join.setEnabled(table.getSelectedRow() >= 0));
        table.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent e) {
                if (e.getClickCount() == 2 && table.rowAtPoint(e.getPoint()) >= 0) {
                    joinSelected();
                }
            }
        });
        join.setEnabled(false);
        join.addActionListener(e -> joinSelected());
        JButton refresh = new JButton("Refresh");
        refresh.addActionListener(e -> {
            state.setText("Asking the server\u2026");
            onRefresh.run();
        });
        JButton close = new JButton("Close");
        close.addActionListener(e -> dialog.dispose());

        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        buttons.add(refresh);
        buttons.add(close);
        buttons.add(join);
        JPanel south = new JPanel(new BorderLayout());
        south.add(state, BorderLayout.WEST);
        south.add(buttons, BorderLayout.EAST);
        JPanel content = new JPanel(new BorderLayout(0, 8));
        content.setBorder(BorderFactory.createEmptyBorder(10, 10, 10, 10));
        content.add(new JScrollPane(table), BorderLayout.CENTER);
        content.add(south, BorderLayout.SOUTH);
        dialog.setContentPane(content);
        dialog.getRootPane().setDefaultButton(join);
        dialog.setSize(new Dimension(560, 340));
        dialog.setLocationRelativeTo(owner);
    }

    void show() {
        dialog.setVisible(true);
    }

    boolean isShowing() {
        return dialog.isShowing();
    }

    void close() {
        dialog.dispose();
    }

    /** Shows the rooms the server listed. */
    void showRooms(List<RoomInfo> listed) {
        rooms.set(listed);
        state.setText(listed.isEmpty() ? "No rooms." : listed.size() == 1 ? "1 room" : listed.size() + " rooms");
    }

    JTable table() {
        return table;
    }

    JButton joinButton() {
        return join;
    }

    private void joinSelected() {
        int row = table.getSelectedRow();
        if (row >= 0) {
            onJoin.accept(rooms.at(table.convertRowIndexToModel(row)).name());
            dialog.dispose();
        }
    }

    /** The rooms as table rows: name, how many, topic. */
    private static final class RoomTable extends AbstractTableModel {
        private static final long serialVersionUID = 1L;
        private static final String[] COLUMNS = {"Room", "People", "Topic"};

        private final transient List<RoomInfo> rows = new ArrayList<>();

        void set(List<RoomInfo> rooms) {
            rows.clear();
            rows.addAll(rooms);
            fireTableDataChanged();
        }

        RoomInfo at(int row) {
            return rows.get(row);
        }

        @Override
        public int getRowCount() {
            return rows.size();
        }

        @Override
        public int getColumnCount() {
            return COLUMNS.length;
        }

        @Override
        public String getColumnName(int column) {
            return COLUMNS[column];
        }

        @Override
        public Class<?> getColumnClass(int column) {
            return column == 1 ? Integer.class : String.class;
        }

        @Override
        public Object getValueAt(int row, int column) {
            RoomInfo room = rows.get(row);
            return switch (column) {
                case 0 -> room.name();
                case 1 -> room.members();
                default -> room.topic();
            };
        }
    }
}
