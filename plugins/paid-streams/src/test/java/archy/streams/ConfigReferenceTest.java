package archy.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.config.ConfigSection;
import archy.plugin.PluginLoader;
import archy.plugin.RelayPlugin;
import archy.server.ArchyNode;
import archy.server.ConfigCheck;
import archy.testing.TestNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three places a config key lives agree: the code that reads it (the host's ConfigLoader and every plugin's
 * reader, this module's class path holding them all), docs/configuration.md and archy.example.toml, whose values
 * are the defaults and which starts a node as it is.
 */
class ConfigReferenceTest {
  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final Path EXAMPLE = ROOT.resolve("archy.example.toml");
  private static final Pattern HEADER = Pattern.compile("^#?\\s*\\[([A-Za-z0-9_.<>\"-]+)]\\s*(#.*)?$");
  private static final Pattern EXAMPLE_KEY = Pattern.compile("^#?\\s*\"?([A-Za-z0-9_-]+)\"?\\s*=.*");
  private static final Pattern DOC_HEADING = Pattern.compile("^#+ .*`\\[([A-Za-z0-9_.<>-]+)]`.*");
  private static final Pattern DOC_ROW = Pattern.compile("^\\| `\"?([A-Za-z0-9_-]+)\"?` \\|.*");

  @TempDir
  Path dir;

  /** The plugins the build ships: those found on the class path, without the tests' probe plugins. */
  static List<RelayPlugin> shipped() {
    List<RelayPlugin> out = new ArrayList<>();
    for (RelayPlugin p : PluginLoader.found(ConfigReferenceTest.class.getClassLoader()).values()) {
      String from = p.getClass().getProtectionDomain().getCodeSource().getLocation().toString();
      if (!from.contains("test-classes") && !from.endsWith("-tests.jar")) out.add(p);
    }
    return out;
  }

  static List<String> declaredPaths() {
    List<String> paths = ConfigCheck.declared(shipped()).stream().map(ConfigSection.Key::path).toList();
    assertTrue(paths.containsAll(List.of("server.port", "film-catalog.trusted_publishers", "ecash-gate.mints",
        "paid-blobs.client.max_sats_per_day")), "the host and every shipped plugin declared their keys: " + paths);
    return paths;
  }

  @Test
  void everyKeyTheCodeAcceptsIsDocumented() throws Exception {
    Set<String> documented = new LinkedHashSet<>();
    String section = "";
    for (String line : Files.readAllLines(ROOT.resolve("docs/configuration.md"))) {
      Matcher heading = DOC_HEADING.matcher(line);
      Matcher row = DOC_ROW.matcher(line);
      if (heading.matches()) {
        section = heading.group(1).replaceAll("\\.<[^>]+>", "");
        documented.add(section);
      } else if (line.startsWith("#")) {
        section = "";
      } else if (row.matches() && !section.isEmpty()) {
        documented.add(section + "." + row.group(1));
      }
    }
    List<String> missing = declaredPaths().stream().filter(p -> !documented.contains(p)).toList();
    assertEquals(List.of(), missing, "keys the code reads but docs/configuration.md does not document");
    List<String> stale = documented.stream().filter(p -> !declaredPaths().contains(p)).toList();
    assertEquals(List.of(), stale, "keys docs/configuration.md documents but no code reads");
  }

  @Test
  void everyKeyIsInTheExampleWithItsDefault() throws Exception {
    Set<String> present = new LinkedHashSet<>();
    String section = "";
    for (String line : Files.readAllLines(EXAMPLE)) {
      Matcher header = HEADER.matcher(line);
      Matcher key = EXAMPLE_KEY.matcher(line);
      if (header.matches()) {
        section = header.group(1).replaceAll("\\.<[^>]+>", "");
        for (int dot = section.indexOf('.'); dot > 0; dot = section.indexOf('.', dot + 1)) {
          present.add(section.substring(0, dot));
        }
        present.add(section);
      } else if (key.matches() && !section.isEmpty()) {
        present.add(section + "." + key.group(1));
      }
    }
    List<String> missing = declaredPaths().stream().filter(p -> !present.contains(p)).toList();
    assertEquals(List.of(), missing, "keys the code reads but archy.example.toml does not show");

    ConfigSection read = ConfigCheck.read(new TomlMapper().readTree(Files.readString(EXAMPLE)), shipped());
    assertEquals(List.of(), read.unknownKeys());
    for (ConfigSection.Key k : read.declared()) {
      if (k.section() || k.valueToml() == null) continue;
      assertEquals(k.defaultToml(), k.valueToml(), k.path() + " in archy.example.toml is not its default"
          + (k.defaultToml() == null ? " (it has none: comment it out)" : ""));
    }
  }

  @Test
  void theExampleStartsANodeAsItIs() throws Exception {
    int port = TestNode.freePort();
    // Only where the node listens and keeps its data change: flags beat the file.
    Config config = ConfigLoader.load(EXAMPLE, new ConfigLoader.Overrides(null, port, null, dir, null, null));
    assertTrue(config.plugins().all(), "the example starts every plugin");
    try (ArchyNode node = new ArchyNode(config, Clock.systemUTC()).start()) {
      HttpResponse<String> landing = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, landing.statusCode());
      HttpResponse<String> catalog = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/film-catalog")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, catalog.statusCode(), catalog.body());
      assertFalse(Files.notExists(dir.resolve("archy.db")));
    }
  }
}
