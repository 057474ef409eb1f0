package dev.chat.swing;

import com.formdev.flatlaf.FlatClientProperties;
import dev.chat.swing.model.Entry;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Cursor;
import java.awt.Desktop;
import java.awt.Font;
import java.awt.Insets;
import java.awt.event.MouseEvent;
import java.awt.event.MouseListener;
import java.awt.event.MouseMotionListener;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollBar;
import javax.swing.JScrollPane;
import javax.swing.JTextPane;
import javax.swing.text.AttributeSet;
import javax.swing.text.BadLocationException;
import javax.swing.text.DefaultCaret;
import javax.swing.text.SimpleAttributeSet;
import javax.swing.text.StyleConstants;
import javax.swing.text.StyledDocument;

/**
 * One conversation's lines, styled, under the room's topic for rooms: it follows new lines
 * unless the user has scrolled up, and then offers a "new messages" button instead. Lines
 * replayed from before the user came are dimmed, dated, and set apart by an "earlier
 * messages" separator. Links open in the browser.
 */
final class ConversationView {

    private static final System.Logger LOG = System.getLogger(ConversationView.class.getName());
    private static final Pattern LINK = Pattern.compile("\\bhttps?://[^\\s<>\"]+");
    private static final String TRAILING_PUNCTUATION = ".,;:!?)]}'";
    /** The attribute under which a run of text keeps the address it links to. */
    private static final Object LINK_ATTRIBUTE = new Object();

    private final JTextPane pane = new JTextPane();
    private final JScrollPane scroll = new JScrollPane(pane);
    private final JButton newMessages = new JButton("New messages \u2193");
    private final JPanel panel = new JPanel(new BorderLayout());
    /** The separator before lines replayed from before the user came. */
    static final String EARLIER = "earlier messages";
    private final List<Entry> entries = new ArrayList<>();
    /** The topic above a room's lines; null for private conversations. */
    private final JLabel topic;
    private String topicText = "";
    private Palette palette;

    /** @param room whether this is a room's conversation, which shows the topic above its lines */
    ConversationView(boolean room) {
        topic = room ? new JLabel() : null;
        pane.setEditable(false);
        pane.setMargin(new Insets(8, 12, 8, 12));
        ((DefaultCaret) pane.getCaret()).setUpdatePolicy(DefaultCaret.NEVER_UPDATE);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        scroll.getVerticalScrollBar().setUnitIncrement(16);
        scroll.getVerticalScrollBar().addAdjustmentListener(e -> {
            if (isAtBottom()) {
                newMessages.setVisible(false);
            }
        });
        newMessages.setVisible(false);
        newMessages.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_ROUND_RECT);
        newMessages.addActionListener(e -> scrollToEnd());
        JPanel markerRow = new JPanel();
        markerRow.setOpaque(false);
        markerRow.add(newMessages);
        panel.add(scroll, BorderLayout.CENTER);
        panel.add(markerRow, BorderLayout.SOUTH);
        if (topic != null) {
            topic.setBorder(BorderFactory.createCompoundBorder(
                    BorderFactory.createMatteBorder(0, 0, 1, 0, LookAndFeelSetup.color("Component.borderColor", Color.GRAY)),
                    BorderFactory.createEmptyBorder(6, 12, 6, 12)));
            panel.add(topic, BorderLayout.NORTH);
        }
        LinkMouse links = new LinkMouse();
        pane.addMouseListener(links);
        pane.addMouseMotionListener(links);
        themeChanged();
    }

    JComponent component() {
        return panel;
    }

    /** Appends a line; follows it when the view was at the bottom, else shows the "new messages" button. */
    void add(Entry entry) {
        boolean follow = isAtBottom();
        entries.add(entry);
        render(entry, entries.size() >= 2 ? entries.get(entries.size() - 2) : null);
        if (follow) {
            scrollToEnd();
        } else {
            newMessages.setVisible(true);
        }
    }

    /** Shows {@code text} as the room's topic; empty means there is none. */
    void setTopic(String text) {
        topicText = text;
        if (topic != null) {
            topic.setText(text.isEmpty() ? "No topic" : text);
            topic.setToolTipText(text.isEmpty() ? null : text);
            topic.setForeground(text.isEmpty() ? palette.muted : palette.text);
        }
    }

    /** The topic as shown above the lines, or null for a conversation without one. */
    String topicText() {
        return topic == null ? null : topic.getText();
    }

    /** Re-renders every line in the colours of the theme now installed. */
    void themeChanged() {
        palette = Palette.current();
        if (topic != null) {
            Font bold = javax.swing.UIManager.getFont("h4.font");
            if (bold != null) {
                topic.setFont(bold);
            }
            setTopic(topicText);
        }
        Font base = javax.swing.UIManager.getFont("TextPane.font");
        if (base != null) {
            pane.setFont(base.deriveFont(base.getSize2D() + 1f));
        }
        StyledDocument doc = pane.getStyledDocument();
        try {
            doc.remove(0, doc.getLength());
        } catch (BadLocationException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < entries.size(); i++) {
            render(entries.get(i), i > 0 ? entries.get(i - 1) : null);
        }
        scrollToEnd();
    }

    /** The text the view shows, for tests and accessibility. */
    String text() {
        StyledDocument doc = pane.getStyledDocument();
        try {
            return doc.getText(0, doc.getLength());
        } catch (BadLocationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the "new messages" button is showing. */
    boolean showsNewMessagesMarker() {
        return newMessages.isVisible();
    }

    JScrollBar scrollBar() {
        return scroll.getVerticalScrollBar();
    }

    private boolean isAtBottom() {
        JScrollBar bar = scroll.getVerticalScrollBar();
        return bar.getValue() + bar.getVisibleAmount() >= bar.getMaximum() - 8;
    }

    private void scrollToEnd() {
        newMessages.setVisible(false);
        // The caret scrolls itself into view once the new line is laid out.
        pane.setCaretPosition(pane.getStyledDocument().getLength());
    }

    /** Appends {@code entry}; {@code previous} is the line before it, or null. */
    private void render(Entry entry, Entry previous) {
        StyledDocument doc = pane.getStyledDocument();
        if (doc.getLength() > 0) {
            append("\n", plain(palette.text));
        }
        if (entry.isHistory()) {
            if (previous == null || !previous.isHistory()) {
                SimpleAttributeSet rule = small(palette.muted);
                StyleConstants.setBold(rule, true);
                append("\u2500\u2500\u2500\u2500  " + EARLIER + "  \u2500\u2500\u2500\u2500\n", rule);
            }
            renderHistory(entry);
            return;
        }
        append(stamp(entry.time()) + "  ", small(palette.muted));
        switch (entry.kind()) {
            case CHAT -> {
                append(entry.from(), name(entry.from()));
                append("  ", plain(palette.text));
                SimpleAttributeSet text = plain(palette.text);
                if (entry.mention()) {
                    StyleConstants.setBackground(text, palette.mention);
                }
                appendWithLinks(entry.text(), text);
            }
            case ACTION -> {
                SimpleAttributeSet text = plain(palette.text);
                StyleConstants.setItalic(text, true);
                if (entry.mention()) {
                    StyleConstants.setBackground(text, palette.mention);
                }
                append("* ", text);
                SimpleAttributeSet who = name(entry.from());
                StyleConstants.setItalic(who, true);
                append(entry.from(), who);
                append(" ", text);
                appendWithLinks(entry.text(), text);
            }
            case PRIVATE_IN, PRIVATE_OUT -> {
                if (entry.privacy() != null) {
                    SimpleAttributeSet mark = small(entry.privacy().sealed() ? palette.muted : palette.error);
                    StyleConstants.setBold(mark, entry.privacy() != dev.chat.client.Privacy.SEALED);
                    append(privacyMark(entry.privacy()) + "  ", mark);
                }
                String from = entry.from() != null ? entry.from() : "you";
                append(from, name(from));
                append("  ", plain(palette.text));
                SimpleAttributeSet text = plain(palette.privateText);
                StyleConstants.setItalic(text, true);
                appendWithLinks(entry.text(), text);
            }
            case SYSTEM, LOCAL -> {
                SimpleAttributeSet text = plain(palette.muted);
                StyleConstants.setItalic(text, true);
                append("\u2022 " + entry.text(), text);
            }
            case INFO -> appendWithLinks(entry.text(), plain(palette.muted));
            case ERROR -> {
                SimpleAttributeSet text = plain(palette.error);
                StyleConstants.setBold(text, true);
                append(entry.text(), text);
            }
        }
    }

    /** How a private message travelled, in words: a lock sign is missing from many fonts. */
    static String privacyMark(dev.chat.client.Privacy privacy) {
        return switch (privacy) {
            case SEALED -> "[sealed]";
            case VERIFIED -> "[sealed, verified]";
            case DIRECT -> "[direct]";
            case NOT_SEALED -> "[not encrypted]";
            case NOT_SEALED_FROM_KEY_HOLDER -> "[NOT ENCRYPTED, though they have a key]";
        };
    }

    /** A line said before the user came: its date and time, and the line, all dimmed. */
    private void renderHistory(Entry entry) {
        append(entry.historyDate() + " " + stamp(entry.time()) + "  ", small(palette.faint));
        SimpleAttributeSet dim = plain(palette.muted);
        if (entry.kind() == Entry.Kind.ACTION) {
            StyleConstants.setItalic(dim, true);
            append("* " + entry.from() + " ", dim);
        } else {
            SimpleAttributeSet who = plain(palette.muted);
            StyleConstants.setBold(who, true);
            append(entry.from(), who);
            append("  ", dim);
        }
        appendWithLinks(entry.text(), dim);
    }

    private void appendWithLinks(String text, SimpleAttributeSet style) {
        Matcher matcher = LINK.matcher(text);
        int at = 0;
        while (matcher.find()) {
            int end = matcher.end();
            while (end > matcher.start() && TRAILING_PUNCTUATION.indexOf(text.charAt(end - 1)) >= 0) {
                end--;
            }
            append(text.substring(at, matcher.start()), style);
            String address = text.substring(matcher.start(), end);
            SimpleAttributeSet link = new SimpleAttributeSet(style);
            StyleConstants.setForeground(link, palette.link);
            StyleConstants.setUnderline(link, true);
            link.addAttribute(LINK_ATTRIBUTE, address);
            append(address, link);
            at = end;
        }
        append(text.substring(at), style);
    }

    private void append(String text, AttributeSet style) {
        if (text.isEmpty()) {
            return;
        }
        StyledDocument doc = pane.getStyledDocument();
        try {
            doc.insertString(doc.getLength(), text, style);
        } catch (BadLocationException e) {
            throw new IllegalStateException(e);
        }
    }

    private SimpleAttributeSet name(String who) {
        SimpleAttributeSet style = plain(NameColors.of(who, palette.dark));
        StyleConstants.setBold(style, true);
        return style;
    }

    private static SimpleAttributeSet plain(Color color) {
        SimpleAttributeSet style = new SimpleAttributeSet();
        StyleConstants.setForeground(style, color);
        return style;
    }

    private SimpleAttributeSet small(Color color) {
        SimpleAttributeSet style = plain(color);
        StyleConstants.setFontSize(style, Math.max(9, pane.getFont().getSize() - 2));
        return style;
    }

    private static String stamp(LocalTime time) {
        return String.format("%02d:%02d:%02d", time.getHour(), time.getMinute(), time.getSecond());
    }

    private String linkAt(MouseEvent e) {
        int offset = pane.viewToModel2D(e.getPoint());
        if (offset < 0) {
            return null;
        }
        Object address = pane.getStyledDocument().getCharacterElement(offset).getAttributes().getAttribute(LINK_ATTRIBUTE);
        return address instanceof String s ? s : null;
    }

    private static void browse(String address) {
        if (!Desktop.isDesktopSupported() || !Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
            return;
        }
        Thread.ofPlatform().name("open-link").daemon().start(() -> {
            try {
                Desktop.getDesktop().browse(new URI(address));
            } catch (IOException | URISyntaxException | UnsupportedOperationException e) {
                LOG.log(System.Logger.Level.INFO, "Cannot open link " + address + ": " + e.getMessage());
            }
        });
    }

    /** Opens links on click and shows the hand cursor over them. */
    private final class LinkMouse implements MouseListener, MouseMotionListener {
        @Override
        public void mouseClicked(MouseEvent e) {
            String address = linkAt(e);
            if (address != null && e.getButton() == MouseEvent.BUTTON1) {
                browse(address);
            }
        }

        @Override
        public void mouseMoved(MouseEvent e) {
            pane.setCursor(linkAt(e) != null ? Cursor.getPredefinedCursor(Cursor.HAND_CURSOR) : Cursor.getDefaultCursor());
        }

        @Override
        public void mouseDragged(MouseEvent e) {
        }

        @Override
        public void mousePressed(MouseEvent e) {
        }

        @Override
        public void mouseReleased(MouseEvent e) {
        }

        @Override
        public void mouseEntered(MouseEvent e) {
        }

        @Override
        public void mouseExited(MouseEvent e) {
        }
    }

    /** The colours of a theme, read once per theme change. */
    private record Palette(boolean dark, Color text, Color muted, Color faint, Color link, Color error,
            Color privateText, Color mention) {

        static Palette current() {
            boolean dark = LookAndFeelSetup.isDark();
            return new Palette(dark,
                    LookAndFeelSetup.color("TextPane.foreground", dark ? Color.LIGHT_GRAY : Color.DARK_GRAY),
                    dark ? new Color(0x8C9399) : new Color(0x6E7781),
                    dark ? new Color(0x6A7077) : new Color(0x9AA1A9),
                    LookAndFeelSetup.color("Component.linkColor", dark ? new Color(0x58A6FF) : new Color(0x0969DA)),
                    dark ? new Color(0xFF7B72) : new Color(0xCF222E),
                    dark ? new Color(0xD2A8FF) : new Color(0x8250DF),
                    dark ? new Color(0x4D4220) : new Color(0xFFF1C2));
        }
    }
}
