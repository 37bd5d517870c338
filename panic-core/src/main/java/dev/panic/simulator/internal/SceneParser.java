package dev.panic.simulator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the painter reads a prompt: a small, forgiving parser for phrases such as "a large red
 * square at the top left, a small blue circle and a stripe on a yellow background".
 *
 * <p>The text is cut into clauses at punctuation and at "and", "with", "plus", "while", "beside".
 * In each clause a colour or size word applies to the next shape word (or to the previous one if
 * that has none yet, as in "a square that is red"); position words (top, bottom, left, right,
 * centre...) place the clause's first shape, or the previous clause's last shape if the clause
 * has none ("a red square, on the left"). "&lt;colour&gt; background" sets the background.
 *
 * <p>Words the parser does not know are not thrown away: in a clause without a shape word, each
 * unknown word becomes a shape whose colour, kind and size (where the clause does not say them)
 * come from a {@linkplain StableHash stable hash} of the word, so every prompt gives a picture
 * that depends on it. Shapes without a position go to the centre if it is free, else to a free
 * cell chosen by hash; a requested cell that is taken moves the shape to the nearest free one.
 * At most nine shapes are drawn, one per cell; later ones are dropped.
 */
public final class SceneParser {

    private static final Pattern CLAUSE_BREAK = Pattern.compile("[,.;:!?()\\[\\]{}\\n\\r]+");
    private static final Pattern WORD = Pattern.compile("\\p{L}+");
    private static final Set<String> CLAUSE_WORDS = Set.of("and", "with", "plus", "while", "beside", "besides",
            "alongside", "then");
    private static final Set<String> BACKGROUND_WORDS = Set.of("background", "backdrop", "backgrounds");
    /** Words that may sit between a colour and "background": "a white plain background". */
    private static final Set<String> BEFORE_BACKGROUND = Set.of("a", "an", "the", "plain", "solid", "flat",
            "dark", "bright", "light", "pale", "deep", "muted", "dim", "coloured", "colored");
    /** Known words that carry no drawing instruction. */
    private static final Set<String> FILLER = Set.of(
            "a", "an", "the", "of", "on", "in", "at", "to", "into", "onto", "off", "out", "over", "under", "by", "from",
            "near", "next", "for", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that",
            "these", "those", "there", "here", "some", "any", "very", "quite", "rather", "just", "only", "all", "both",
            "each", "one", "two", "three", "four", "five", "several", "many", "few", "no", "not",
            "image", "images", "picture", "pictures", "photo", "photograph", "painting", "drawing", "scene", "view",
            "shape", "shapes", "colour", "colours", "color", "colors", "coloured", "colored", "filled", "solid",
            "plain", "flat", "dark", "bright", "light", "pale", "deep", "muted", "dim", "vivid", "empty", "nothing",
            "corner", "corners", "side", "sides", "edge", "edges", "part", "half", "area", "place", "placed", "sits",
            "sitting", "lies", "lying", "stands", "standing", "drawn", "painted", "shown", "showing", "shows",
            "has", "have", "having", "which", "who", "where", "whose", "what", "against", "across", "between");
    private static final Set<String> TOP = Set.of("top", "upper", "above", "up", "high", "north");
    private static final Set<String> BOTTOM = Set.of("bottom", "lower", "below", "down", "low", "south");
    private static final Set<String> LEFT = Set.of("left", "leftmost", "west");
    private static final Set<String> RIGHT = Set.of("right", "rightmost", "east");
    private static final Set<String> MIDDLE = Set.of("centre", "center", "middle", "central", "centred", "centered");

    private SceneParser() {
    }

    /** A shape as the text gives it, before defaults and layout. */
    private static final class Draft {
        final String word;
        final boolean fromUnknownWord;
        Shape shape;
        NamedColour colour;
        ShapeSize size;
        Cell cell;

        Draft(String word, Shape shape, boolean fromUnknownWord) {
            this.word = word;
            this.shape = shape;
            this.fromUnknownWord = fromUnknownWord;
        }
    }

    /** True if the painter knows {@code word} (lower case): a colour, shape, size, position or filler word. */
    public static boolean isKnownWord(String word) {
        return NamedColour.parse(word) != null || Shape.parse(word) != null || ShapeSize.parse(word) != null
                || FILLER.contains(word) || CLAUSE_WORDS.contains(word) || BACKGROUND_WORDS.contains(word)
                || TOP.contains(word) || BOTTOM.contains(word) || LEFT.contains(word) || RIGHT.contains(word)
                || MIDDLE.contains(word);
    }

    /** Reads a prompt into the scene the painter will draw. */
    public static Scene parse(String text) {
        NamedColour background = null;
        List<Draft> drafts = new ArrayList<>();
        for (List<String> clause : clauses(text)) {
            int n = clause.size();
            boolean[] used = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (BACKGROUND_WORDS.contains(clause.get(i))) {
                    used[i] = true;
                    int j = i - 1;
                    while (j >= 0 && !used[j] && BEFORE_BACKGROUND.contains(clause.get(j))) {
                        j--;
                    }
                    if (j >= 0 && !used[j] && NamedColour.parse(clause.get(j)) != null) {
                        background = NamedColour.parse(clause.get(j));
                        used[j] = true;
                    }
                }
            }
            boolean hasShapeWord = false;
            for (int i = 0; i < n; i++) {
                hasShapeWord |= !used[i] && Shape.parse(clause.get(i)) != null;
            }
            List<Draft> inClause = new ArrayList<>();
            Draft last = null;
            NamedColour pendingColour = null;
            ShapeSize pendingSize = null;
            Integer row = null;
            Integer col = null;
            boolean middle = false;
            for (int i = 0; i < n; i++) {
                if (used[i]) {
                    continue;
                }
                String w = clause.get(i);
                NamedColour colour = NamedColour.parse(w);
                ShapeSize size = ShapeSize.parse(w);
                Shape shape = Shape.parse(w);
                if (colour != null) {
                    if (last != null && last.colour == null && pendingColour == null) {
                        last.colour = colour;
                    } else {
                        pendingColour = colour;
                    }
                } else if (size != null) {
                    if (last != null && last.size == null && pendingSize == null) {
                        last.size = size;
                    } else {
                        pendingSize = size;
                    }
                } else if (TOP.contains(w)) {
                    row = 0;
                } else if (BOTTOM.contains(w)) {
                    row = 2;
                } else if (LEFT.contains(w)) {
                    col = 0;
                } else if (RIGHT.contains(w)) {
                    col = 2;
                } else if (MIDDLE.contains(w)) {
                    middle = true;
                } else if (shape != null || (!hasShapeWord && !isKnownWord(w))) {
                    Draft d = new Draft(w, shape, shape == null);
                    d.colour = pendingColour;
                    d.size = pendingSize;
                    pendingColour = null;
                    pendingSize = null;
                    inClause.add(d);
                    last = d;
                }
            }
            if (inClause.isEmpty() && (pendingColour != null || pendingSize != null)) {
                // "a red, a blue": a colour with nothing to colour still gets drawn, as some shape.
                Draft d = new Draft(String.join(" ", clause), null, false);
                d.colour = pendingColour;
                d.size = pendingSize;
                inClause.add(d);
            }
            if (row != null || col != null || middle) {
                Cell cell = new Cell(row == null ? 1 : row, col == null ? 1 : col);
                if (!inClause.isEmpty()) {
                    inClause.get(0).cell = cell;
                } else if (!drafts.isEmpty() && drafts.get(drafts.size() - 1).cell == null) {
                    drafts.get(drafts.size() - 1).cell = cell;
                }
            }
            drafts.addAll(inClause);
        }
        if (background == null) {
            background = NamedColour.WHITE;
        }
        return layOut(background, drafts.size() > 9 ? drafts.subList(0, 9) : drafts);
    }

    private static Scene layOut(NamedColour background, List<Draft> drafts) {
        Cell[] cells = new Cell[drafts.size()];
        boolean[] taken = new boolean[9];
        for (int i = 0; i < drafts.size(); i++) {
            Cell wanted = drafts.get(i).cell;
            if (wanted != null) {
                cells[i] = nearestFree(wanted, taken);
                taken[cells[i].index()] = true;
            }
        }
        for (int i = 0; i < drafts.size(); i++) {
            if (cells[i] == null) {
                if (!taken[Cell.CENTRE.index()]) {
                    cells[i] = Cell.CENTRE;
                } else {
                    List<Integer> free = new ArrayList<>();
                    for (int c = 0; c < 9; c++) {
                        if (!taken[c]) {
                            free.add(c);
                        }
                    }
                    long h = StableHash.derive(StableHash.of(drafts.get(i).word), 3);
                    cells[i] = Cell.ofIndex(free.get(StableHash.pick(h, free.size())));
                }
                taken[cells[i].index()] = true;
            }
        }
        List<Scene.Item> items = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            long h = StableHash.of(d.word);
            NamedColour colour = d.colour != null ? d.colour : hashedColour(h, background);
            Shape shape = d.shape != null ? d.shape : Shape.values()[StableHash.pick(StableHash.derive(h, 1), Shape.values().length)];
            ShapeSize size = d.size != null ? d.size
                    : d.fromUnknownWord ? ShapeSize.values()[StableHash.pick(StableHash.derive(h, 2), 3)]
                    : ShapeSize.MEDIUM;
            items.add(new Scene.Item(colour, shape, size, cells[i]));
        }
        return new Scene(background, items);
    }

    /** A palette colour chosen by hash, never the background's, so the shape shows. */
    private static NamedColour hashedColour(long h, NamedColour background) {
        NamedColour[] all = NamedColour.values();
        int k = StableHash.pick(h, all.length - 1);
        return all[k >= background.ordinal() ? k + 1 : k];
    }

    /** {@code wanted} if free, else the free cell nearest to it (row-major order breaks ties). */
    private static Cell nearestFree(Cell wanted, boolean[] taken) {
        if (!taken[wanted.index()]) {
            return wanted;
        }
        Cell best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (int c = 0; c < 9; c++) {
            if (!taken[c]) {
                Cell cell = Cell.ofIndex(c);
                int d = Math.abs(cell.row() - wanted.row()) + Math.abs(cell.col() - wanted.col());
                if (d < bestDistance) {
                    bestDistance = d;
                    best = cell;
                }
            }
        }
        return best; // callers never place more than nine shapes
    }

    private static List<List<String>> clauses(String text) {
        List<List<String>> clauses = new ArrayList<>();
        for (String part : CLAUSE_BREAK.split(text.toLowerCase(Locale.ROOT))) {
            List<String> current = new ArrayList<>();
            Matcher m = WORD.matcher(part);
            while (m.find()) {
                String w = m.group();
                if (CLAUSE_WORDS.contains(w)) {
                    if (!current.isEmpty()) {
                        clauses.add(current);
                    }
                    current = new ArrayList<>();
                } else {
                    current.add(w);
                }
            }
            if (!current.isEmpty()) {
                clauses.add(current);
            }
        }
        return clauses;
    }
}
