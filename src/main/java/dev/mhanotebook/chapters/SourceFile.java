package dev.mhanotebook.chapters;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source file a chapter quotes, cut into the regions its marker comments name. A region is
 * the lines strictly between {@code // step: NAME} and {@code // end step: NAME} in Java, or
 * {@code # step: NAME} and {@code # end step: NAME} in Python; a name may mark several pieces of
 * one file (a call and the helper it calls), which are shown in file order. Regions do not nest.
 *
 * @param name     the file name, such as {@code VectorizedAttention.java}
 * @param language {@code java} or {@code python}, from the file name
 * @param lines    the file's lines, without line ends; line {@code n} is {@code lines.get(n - 1)}
 * @param regions  every region name, in order of first appearance, with its pieces in file order
 */
public record SourceFile(String name, String language, List<String> lines,
        Map<String, List<Region>> regions) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

    /**
     * One piece of a region.
     *
     * @param file      the file name
     * @param name      the region name
     * @param firstLine the line number of its first line (1-based), the line after the marker
     * @param lastLine  the line number of its last line, the line before the end marker
     * @param text      those lines exactly as in the file, joined by {@code \n}
     */
    public record Region(String file, String name, int firstLine, int lastLine, String text) {
        /** The text without the indentation every non-blank line shares, for display. */
        public String dedented() {
            List<String> lines = text.lines().toList();
            int indent = lines.stream().filter(l -> !l.isBlank())
                    .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
            StringBuilder b = new StringBuilder();
            for (String line : lines) {
                b.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
            }
            return b.substring(0, b.length() - 1);
        }

        /** Where it comes from, as a reader sees it: {@code Masks.java, lines 16–30}. */
        public String label() {
            return file + (firstLine == lastLine ? ", line " + firstLine
                    : ", lines " + firstLine + "–" + lastLine);
        }
    }

    /** Reads the markers of {@code text}; a marker out of place is a {@link ChapterException}. */
    static SourceFile parse(String name, String text) {
        String language;
        String comment;
        if (name.endsWith(".java")) {
            language = "java";
            comment = "//";
        } else if (name.endsWith(".py")) {
            language = "python";
            comment = "#";
        } else {
            throw new ChapterException("source file " + name + " is neither .java nor .py");
        }
        Pattern marker = Pattern.compile("^\\s*" + Pattern.quote(comment)
                + "\\s*(end )?step:\\s*(.*?)\\s*$");
        List<String> lines = text.lines().toList();
        Map<String, List<Region>> regions = new LinkedHashMap<>();
        String open = null;
        int openedAt = 0;
        for (int n = 1; n <= lines.size(); n++) {
            Matcher m = marker.matcher(lines.get(n - 1));
            if (!m.matches()) {
                continue;
            }
            String region = m.group(2);
            String where = name + " line " + n + ": ";
            if (!NAME.matcher(region).matches()) {
                throw new ChapterException(where + "a region name matches " + NAME + " (was '"
                        + region + "')");
            }
            if (m.group(1) == null) {
                if (open != null) {
                    throw new ChapterException(where + "region '" + region + "' opens inside '"
                            + open + "' (opened at line " + openedAt + "); regions do not nest");
                }
                open = region;
                openedAt = n;
            } else {
                if (!region.equals(open)) {
                    throw new ChapterException(where + "'end step: " + region + "' closes "
                            + (open == null ? "no open region" : "'" + open + "' (opened at line "
                                    + openedAt + ")"));
                }
                if (n == openedAt + 1) {
                    throw new ChapterException(where + "region '" + region + "' is empty");
                }
                regions.computeIfAbsent(region, r -> new ArrayList<>()).add(new Region(name,
                        region, openedAt + 1, n - 1,
                        String.join("\n", lines.subList(openedAt, n - 1))));
                open = null;
            }
        }
        if (open != null) {
            throw new ChapterException(name + " line " + openedAt + ": region '" + open
                    + "' is never closed");
        }
        regions.replaceAll((k, v) -> List.copyOf(v));
        return new SourceFile(name, language, lines, Collections.unmodifiableMap(regions));
    }

    /** The whole file, lines joined by {@code \n}. */
    public String text() {
        return String.join("\n", lines);
    }

    /** Where the file lives in the repository. */
    public String repositoryPath() {
        return ("java".equals(language) ? "src/main/java/dev/mhanotebook/engine/" : "content/code/")
                + name;
    }

    /** Every piece of every region, in file order. */
    public List<Region> pieces() {
        return regions.values().stream().flatMap(List::stream)
                .sorted(java.util.Comparator.comparingInt(Region::firstLine)).toList();
    }

    /** The pieces of region {@code region}; a missing one is a {@link ChapterException}. */
    public List<Region> region(String region) {
        List<Region> pieces = regions.get(region);
        if (pieces == null) {
            throw new ChapterException("no region '" + region + "' in " + name + "; it marks "
                    + regions.keySet());
        }
        return pieces;
    }
}
