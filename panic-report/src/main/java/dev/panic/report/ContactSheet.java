package dev.panic.report;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.exception.ValidationException;
import dev.panic.report.internal.Output;
import dev.panic.report.internal.Pictures;
import dev.panic.StoredRun;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One PNG of a run's images in order, each numbered with its output's sequence number and model:
 * the whole run at a glance, to print or to post. Each image is scaled to fill its cell.
 *
 * <pre>{@code
 * ContactSheet.of(store.read(runId)).columns(5).writeTo(Path.of("contact-sheet.png"));
 * }</pre>
 *
 * <p>Immutable: each setting returns a new sheet.
 */
public final class ContactSheet {

    /** The name a contact sheet is written under beside its run's report. */
    public static final String FILE_NAME = "contact-sheet.png";
    /** The default number of columns (fewer when there are fewer images). */
    public static final int DEFAULT_COLUMNS = 6;
    /** The default size of a cell's picture area, in pixels. */
    public static final int DEFAULT_CELL_SIZE = 192;

    private static final int GAP = 10;
    private static final int LABEL = 24;
    private static final int HEADER = 40;

    private final String title;
    private final List<Prediction> images;
    private final int columns;
    private final int cellSize;

    private ContactSheet(String title, List<Prediction> images, int columns, int cellSize) {
        this.title = title;
        this.images = images;
        this.columns = columns;
        this.cellSize = cellSize;
    }

    /** The sheet of a saved run's image outputs, titled with its id. */
    public static ContactSheet of(StoredRun run) {
        return new ContactSheet("run " + run.info().id(), imagesOf(run.predictions()), DEFAULT_COLUMNS,
                DEFAULT_CELL_SIZE);
    }

    /** The sheet of the image outputs among {@code predictions}, in the order given. */
    public static ContactSheet of(List<Prediction> predictions) {
        return new ContactSheet(null, imagesOf(predictions), DEFAULT_COLUMNS, DEFAULT_CELL_SIZE);
    }

    private static List<Prediction> imagesOf(List<Prediction> predictions) {
        return predictions.stream().filter(p -> p.succeeded() && p.output() instanceof Payload.Image).toList();
    }

    /** Lays the images out in {@code n} columns (1 to 50). */
    public ContactSheet columns(int n) {
        if (n < 1 || n > 50) {
            throw new ValidationException("a contact sheet has 1 to 50 columns, got " + n);
        }
        return new ContactSheet(title, images, n, cellSize);
    }

    /** Fits each image in a square of {@code pixels} (48 to 1024). */
    public ContactSheet cellSize(int pixels) {
        if (pixels < 48 || pixels > 1024) {
            throw new ValidationException("a contact sheet's cells are 48 to 1024 pixels, got " + pixels);
        }
        return new ContactSheet(title, images, columns, pixels);
    }

    /** How many images the sheet shows. */
    public int size() {
        return images.size();
    }

    /**
     * The sheet as a picture.
     *
     * @throws ValidationException if there is no image to show
     */
    public BufferedImage toImage() {
        if (images.isEmpty()) {
            throw new ValidationException("there is no image output to put on a contact sheet");
        }
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + cols - 1) / cols;
        int header = title == null ? 0 : HEADER;
        int width = GAP + cols * (cellSize + GAP);
        int height = header + GAP + rows * (cellSize + LABEL + GAP);
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(0xf1f3f5));
            g.fillRect(0, 0, width, height);
            if (title != null) {
                g.setColor(new Color(0x212529));
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
                g.drawString(title + " · " + images.size() + " image" + (images.size() == 1 ? "" : "s") + " in order",
                        GAP + 2, 26);
            }
            Font number = new Font(Font.SANS_SERIF, Font.BOLD, 13);
            Font model = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            for (int i = 0; i < images.size(); i++) {
                Prediction p = images.get(i);
                int x = GAP + (i % cols) * (cellSize + GAP);
                int y = header + GAP + (i / cols) * (cellSize + LABEL + GAP);
                g.setColor(Color.WHITE);
                g.fillRect(x, y, cellSize, cellSize + LABEL);
                Optional<BufferedImage> img = Pictures.decode((Payload.Image) p.output());
                if (img.isPresent()) {
                    BufferedImage fitted = Pictures.fit(img.get(), cellSize, true);
                    g.drawImage(fitted, x + (cellSize - fitted.getWidth()) / 2, y + (cellSize - fitted.getHeight()) / 2,
                            null);
                } else {
                    g.setColor(new Color(0x868e96));
                    g.setFont(model);
                    g.drawString("cannot be shown", x + 8, y + cellSize / 2);
                }
                label(g, p, x, y + cellSize, number, model);
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    /** The number in a dark tag, the model beside it, cut to the cell. */
    private void label(Graphics2D g, Prediction p, int x, int y, Font number, Font model) {
        String n = String.valueOf(p.sequence());
        g.setFont(number);
        FontMetrics fm = g.getFontMetrics();
        int tagWidth = fm.stringWidth(n) + 10;
        g.setColor(new Color(0x212529));
        g.fillRoundRect(x + 4, y + 4, tagWidth, LABEL - 8, 6, 6);
        g.setColor(Color.WHITE);
        g.drawString(n, x + 9, y + LABEL - 7);
        g.setFont(model);
        g.setColor(new Color(0x495057));
        String name = p.modelId().toString();
        FontMetrics mm = g.getFontMetrics();
        int room = cellSize - tagWidth - 16;
        while (name.length() > 1 && mm.stringWidth(name) > room) {
            name = name.substring(0, name.length() - 2) + "…";
        }
        g.drawString(name, x + tagWidth + 10, y + LABEL - 7);
    }

    /** The sheet as PNG bytes. */
    public byte[] toPng() {
        return Pictures.png(toImage());
    }

    /** Writes the sheet as a PNG file, creating its folder if needed, and returns the file. */
    public Path writeTo(Path file) {
        return Output.write(file, toPng());
    }
}
