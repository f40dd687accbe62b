package archy.film.publish;

/** A text progress bar for stderr: {@code [#####-----]  50%}. */
final class Bar {
  private static final int WIDTH = 30;

  private Bar() {}

  static String of(int percent) {
    int p = Math.max(0, Math.min(100, percent));
    int filled = p * WIDTH / 100;
    return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + String.format("%3d%%", p);
  }
}
