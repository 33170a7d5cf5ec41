package dev.mhanotebook.api;

/**
 * Checks of the nested JSON arrays a request carries: rectangular, of the expected shape, every
 * number finite. Each refusal names the field and the offending index.
 */
final class Tensors {
    private Tensors() {
    }

    /** The shape of a rectangular [a][b][c] array. */
    static int[] shape3(String field, double[][][] x) {
        if (x.length == 0) {
            throw new BadInputException(field, field + " must not be empty");
        }
        int rows = -1;
        int cols = -1;
        for (int a = 0; a < x.length; a++) {
            if (x[a] == null || x[a].length == 0) {
                throw new BadInputException(field, field + "[" + a + "] must be a non-empty array");
            }
            if (rows < 0) {
                rows = x[a].length;
            } else if (x[a].length != rows) {
                throw new BadInputException(field, field + " is ragged: " + field + "[" + a + "] has "
                        + x[a].length + " rows, " + field + "[0] has " + rows);
            }
            for (int b = 0; b < x[a].length; b++) {
                double[] row = x[a][b];
                if (row == null || row.length == 0) {
                    throw new BadInputException(field, field + "[" + a + "][" + b
                            + "] must be a non-empty array of numbers");
                }
                if (cols < 0) {
                    cols = row.length;
                } else if (row.length != cols) {
                    throw new BadInputException(field, field + " is ragged: " + field + "[" + a + "][" + b
                            + "] has " + row.length + " numbers, " + field + "[0][0] has " + cols);
                }
                finite(field + "[" + a + "][" + b + "]", field, row);
            }
        }
        return new int[] {x.length, rows, cols};
    }

    static void requireShape(String field, double[][][] x, int[] shape) {
        int[] actual = shape3(field, x);
        if (!java.util.Arrays.equals(actual, shape)) {
            throw new BadInputException(field, field + " must have the shape of key "
                    + java.util.Arrays.toString(shape) + " (got " + java.util.Arrays.toString(actual) + ")");
        }
    }

    static float[][][] toFloat(String field, double[][][] x) {
        float[][][] f = new float[x.length][][];
        for (int a = 0; a < x.length; a++) {
            f[a] = new float[x[a].length][];
            for (int b = 0; b < x[a].length; b++) {
                f[a][b] = toFloat(field + "[" + a + "][" + b + "]", field, x[a][b]);
            }
        }
        return f;
    }

    static float[][] matrix(String field, double[][] m, int rows, int cols, String layout) {
        if (m.length != rows) {
            throw new BadInputException(field, field + " must be " + layout + " = [" + rows + "]["
                    + cols + "] (got " + m.length + " rows)");
        }
        float[][] f = new float[rows][];
        for (int r = 0; r < rows; r++) {
            if (m[r] == null || m[r].length != cols) {
                throw new BadInputException(field, field + " must be " + layout + " = [" + rows + "]["
                        + cols + "] (row " + r + " has " + (m[r] == null ? 0 : m[r].length) + " numbers)");
            }
            f[r] = toFloat(field + "[" + r + "]", field, m[r]);
        }
        return f;
    }

    static float[] vector(String field, double[] v, int n, String layout) {
        if (v.length != n) {
            throw new BadInputException(field, field + " must be " + layout + " = [" + n + "] (got "
                    + v.length + " numbers)");
        }
        return toFloat(field, field, v);
    }

    static boolean[][] requireMask(String field, boolean[][] m, int rows, int cols, String layout) {
        if (m.length != rows) {
            throw new BadInputException(field, field + " must be " + layout + " = [" + rows + "]["
                    + cols + "] (got " + m.length + " rows)");
        }
        for (int r = 0; r < rows; r++) {
            if (m[r] == null || m[r].length != cols) {
                throw new BadInputException(field, field + " must be " + layout + " = [" + rows + "]["
                        + cols + "] (row " + r + " has " + (m[r] == null ? 0 : m[r].length) + " values)");
            }
        }
        return m;
    }

    private static void finite(String where, String field, double[] row) {
        for (int i = 0; i < row.length; i++) {
            double v = row[i];
            if (!Double.isFinite(v) || Math.abs(v) > Float.MAX_VALUE) {
                throw new BadInputException(field, where + "[" + i + "] must be a finite float32 number ("
                        + v + ")");
            }
        }
    }

    private static float[] toFloat(String where, String field, double[] row) {
        finite(where, field, row);
        float[] f = new float[row.length];
        for (int i = 0; i < row.length; i++) {
            f[i] = (float) row[i];
        }
        return f;
    }

    static String quote(String s) {
        return "\"" + abbreviate(s) + "\"";
    }

    /** At most 40 characters of what the reader sent, so an error never echoes a huge value. */
    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
