package dev.panic.simulator.internal;

/**
 * One of the nine cells of the three-by-three grid the painter lays shapes out on, and the phrase
 * that names it ("at the top left", "in the centre").
 *
 * @param row 0 (top) to 2 (bottom)
 * @param col 0 (left) to 2 (right)
 */
public record Cell(int row, int col) {

    /** The middle cell. */
    public static final Cell CENTRE = new Cell(1, 1);

    private static final String[] PHRASES = {
        "at the top left", "at the top", "at the top right",
        "on the left", "in the centre", "on the right",
        "at the bottom left", "at the bottom", "at the bottom right",
    };

    /** Checks both coordinates are 0, 1 or 2. */
    public Cell {
        if (row < 0 || row > 2 || col < 0 || col > 2) {
            throw new IllegalArgumentException("cell out of the 3x3 grid: " + row + "," + col);
        }
    }

    /** The cell with this index, row by row from 0 (top left) to 8 (bottom right). */
    public static Cell ofIndex(int index) {
        return new Cell(index / 3, index % 3);
    }

    /** Row by row from 0 (top left) to 8 (bottom right). */
    public int index() {
        return row * 3 + col;
    }

    /** How the describer says where this cell is, e.g. "at the top left". */
    public String phrase() {
        return PHRASES[index()];
    }
}
