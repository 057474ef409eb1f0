package dev.chat.swing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The application's icon, a speech bubble, drawn at the sizes window managers ask for; the
 * desktop package's icon file is drawn here too.
 */
public final class AppIcon {

    private AppIcon() {
    }

    static List<Image> images() {
        return List.of(draw(16), draw(32), draw(48), draw(64), draw(128));
    }

    /** The icon {@code size} pixels square. */
    public static BufferedImage image(int size) {
        return draw(size);
    }

    private static BufferedImage draw(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float s = size;
        g.setColor(new Color(0x2F6FEB));
        g.fill(new RoundRectangle2D.Float(s * 0.06f, s * 0.1f, s * 0.88f, s * 0.64f, s * 0.3f, s * 0.3f));
        Path2D.Float tail = new Path2D.Float();
        tail.moveTo(s * 0.24f, s * 0.7f);
        tail.lineTo(s * 0.2f, s * 0.94f);
        tail.lineTo(s * 0.46f, s * 0.72f);
        tail.closePath();
        g.fill(tail);
        g.setColor(Color.WHITE);
        float dot = s * 0.12f;
        for (int i = 0; i < 3; i++) {
            g.fill(new java.awt.geom.Ellipse2D.Float(s * (0.25f + i * 0.2f) - dot / 2, s * 0.42f - dot / 2, dot, dot));
        }
        g.dispose();
        return image;
    }
}
