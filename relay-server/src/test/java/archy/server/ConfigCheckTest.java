package archy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.config.Config;
import archy.config.ConfigException;
import archy.config.ConfigLoader;
import archy.testing.TestNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mistake anywhere in the file stops the node before it starts anything, with one line naming it. */
class ConfigCheckTest {
  @TempDir
  Path dir;

  private String refused(String toml) {
    ConfigException e = assertThrows(ConfigException.class, () -> TestNode.start(dir.resolve("node"), toml).close());
    String message = e.getMessage();
    assertFalse(message.contains("Exception") || message.contains("java."), message);
    assertFalse(Files.exists(dir.resolve("node")), "nothing was created before the check: " + message);
    return message;
  }

  @Test
  void aMistypedKeyNamesItsPathAndTheNearestKey() {
    assertEquals("unknown key relay.max_tag; did you mean relay.max_tags?", refused("[relay]\nmax_tag = 3\n"));
    assertEquals("unknown key blossom.uplod; did you mean blossom.upload?", refused("[blossom]\nuplod = \"allowlist\"\n"));
  }

  @Test
  void aMistypedSectionNamesTheNearestSection() {
    assertEquals("unknown section [blosom]; did you mean [blossom]?", refused("[blosom]\nenabled = true\n"));
    assertEquals("unknown section [relay.max_event_bytes_by_knd]; did you mean [relay.max_event_bytes_by_kind]?",
        refused("[relay.max_event_bytes_by_knd]\n\"1\" = 100\n"));
  }

  @Test
  void aKeyAboveEverySectionSaysWhereItBelongs() {
    assertTrue(refused("port = 7000\n").contains("did you mean server.port (under [server])?"));
  }

  @Test
  void sectionsOfDisabledPluginsAreCheckedToo() throws Exception {
    // probe (a test plugin on the class path) is not enabled: its section is still read and checked.
    try (TestNode node = TestNode.start(dir.resolve("ok"), "[probe]\nforbidden = \"spam\"\n")) {
      assertTrue(node.port > 0);
    }
    assertEquals("unknown key probe.forbiden; did you mean probe.forbidden?", refused("[probe]\nforbiden = \"spam\"\n"));
    assertEquals("unknown key blossom-probe.x ([blossom-probe] takes no keys)", refused("[blossom-probe]\nx = 1\n"));
  }

  @Test
  void aSectionOfAPluginThatIsNotInstalledIsUnknown() {
    assertTrue(refused("[relay-bandwidth]\nenabled = true\n").startsWith("unknown section [relay-bandwidth]"));
  }

  @Test
  void everyMistakeIsListedOnALineOfItsOwn() {
    String message = refused("[relay]\nmax_tag = 3\n[storag]\nurl = \"sqlite\"\n");
    assertEquals(2, message.split("\n").length, message);
  }

  @Test
  void badValuesSayWhatIsAllowed() {
    assertEquals("blossom.upload must be \"authenticated\" or \"allowlist\", got \"everyone\"",
        refused("[blossom]\nupload = \"everyone\"\n"));
    assertEquals("relay.max_tags must be a whole number from 0 to 2147483647, got \"many\"",
        refused("[relay]\nmax_tags = \"many\"\n"));
    assertEquals("blossom.mirror_allow_private must be true or false, got \"yes\"",
        refused("[blossom]\nmirror_allow_private = \"yes\"\n"));
    assertEquals("relay.auth_required_kinds must be a list of whole numbers from 0 to 65535, got [\"dm\"]",
        refused("[relay]\nauth_required_kinds = [\"dm\"]\n"));
    assertTrue(refused("[blossom]\nupload_allowlist = [\"nobody\"]\n").startsWith("blossom.upload_allowlist: "));    assertEquals("storage.url (or --storage, ARCHY_STORAGE) must be \"sqlite\", \"sqlite:<file>\" or"
        + " \"postgresql://user@host:5432/db\", got \"mysql://…\"", refused("[storage]\nurl = \"mysql://me:secret@db/x\"\n"));
    assertEquals("node.key: expected a secret key as 64 hex characters or nsec1…", refused("[node]\nkey = \"abc\"\n"));
    assertEquals("server.public_url (or --public-url, ARCHY_PUBLIC_URL) must be an http:// or https:// URL, got"
        + " \"wss://relay.example\"", refused("[server]\npublic_url = \"wss://relay.example\"\n"));
    assertEquals("plugins.enabled names 'prbe', which is not on the class path; did you mean probe? Found: "
        + String.join(", ", archy.plugin.PluginLoader.found(getClass().getClassLoader()).keySet()),
        refused("[plugins]\nenabled = [\"prbe\"]\n"));
  }

  @Test
  void brokenTomlIsOneLineWithTheLineNumber() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.parse("[server]\nport = 7777\nhost = \n", ConfigLoader.Overrides.none()));
    assertTrue(e.getMessage().startsWith("the config line 3: not valid TOML: "), e.getMessage());
    assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("Source:"), e.getMessage());
  }

  @Test
  void aPortInUseStopsTheNodeBeforeItTouchesTheDatabase() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Path data = dir.resolve("busy");
      Config config = ConfigLoader.parse("[plugins]\nenabled = [\"probe\"]\n",
          new ConfigLoader.Overrides("127.0.0.1", taken.getLocalPort(), 0, data, null, null));
      ConfigException e = assertThrows(ConfigException.class, () -> new ArchyNode(config, Clock.systemUTC()).start());
      assertEquals("server.port: 127.0.0.1:" + taken.getLocalPort() + " is already in use (is another node running?);"
          + " choose another with --port, ARCHY_PORT or [server] port", e.getMessage());
      assertFalse(Files.exists(data), "no database was created or migrated");
    }
  }
}
