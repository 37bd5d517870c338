package dev.panic.simulator.internal;

import java.util.List;

/**
 * What the painter draws and the describer reports: a background colour and shapes placed on a
 * three-by-three grid.
 *
 * @param background the colour of everything not covered by a shape
 * @param items      the shapes; in a scene the painter lays out, at most one per cell
 */
public record Scene(NamedColour background, List<Item> items) {

    /** Copies the list. */
    public Scene {
        items = List.copyOf(items);
    }

    /**
     * One shape.
     *
     * @param colour its colour
     * @param shape  its shape
     * @param size   its size
     * @param cell   where it is
     */
    public record Item(NamedColour colour, Shape shape, ShapeSize size, Cell cell) {
        /** "a large red square at the top left", the describer's phrase for it. */
        public String phrase() {
            return "a " + size.word() + " " + colour.word() + " " + shape.word() + " " + cell.phrase();
        }
    }
}
