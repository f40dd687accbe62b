package archy.cli;

import archy.config.Config;
import archy.config.ConfigException;
import archy.config.ConfigLoader;
import archy.management.ManagementEndpoint;
import archy.management.Nip98Header;
import archy.nostr.Keys;
import archy.server.NodeKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code archy admin <method> [params...]}: one NIP-86 call, signed (NIP-98) with the node key or a given one. */
@Command(name = "admin", mixinStandardHelpOptions = true,
    description = "Call the NIP-86 management API of a relay (this node by default) and print the result, e.g."
        + " './archy admin banpubkey <hex|npub> \"spam\"', './archy admin listbannedpubkeys',"
        + " './archy admin allowkind 1', './archy admin supportedmethods'. The call is signed with the node key"
        + " (which must be in the relay's [relay] admins) unless --key or ARCHY_ADMIN_KEY gives another."
        + " Whole-number params are sent as JSON numbers, others as strings.")
final class AdminCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", description = "The NIP-86 method.")
  String method;

  @Parameters(index = "1..*", description = "Its params, in order.")
  List<String> params = new ArrayList<>();

  @Option(names = "--url", description = "The relay (http(s):// or ws(s)://); default this node's public URL.")
  String url;

  @Option(names = "--key", description = "Secret key to sign with (hex or nsec; ARCHY_ADMIN_KEY); default the"
      + " node key.")
  String key;

  @Option(names = "--print-header", description = "Print the body and the signed Authorization header (valid"
      + " 60 s, once) instead of sending them: for curl or another HTTP client.")
  boolean printHeader;

  @Option(names = "--data-dir", description = "Directory of the node key (ARCHY_DATA_DIR; default ./data).")
  Path dataDir;

  @Option(names = "--config", description = "TOML configuration file (ARCHY_CONFIG).")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    Config config = ConfigLoader.load(ConfigLoader.configFile(configFile, System.getenv()),
        new ConfigLoader.Overrides(null, null, null, dataDir, null, null).withEnvironment(System.getenv()));
    String target = (url == null ? config.server().publicUrl() : url).replaceFirst("^ws", "http");
    if (!target.matches("https?://\\S+")) throw new ConfigException("--url must be an http(s):// or ws(s):// URL");
    Keys signer = signer(config);
    ObjectNode call = JSON.createObjectNode().put("method", method);
    ArrayNode array = call.putArray("params");
    for (String p : params) {
      if (p.matches("-?\\d{1,18}")) array.add(Long.parseLong(p));
      else array.add(p);
    }
    byte[] body = JSON.writeValueAsBytes(call);
    String authorization = Nip98Header.sign(signer, target, "POST", body, System.currentTimeMillis() / 1000);
    if (printHeader) {
      System.out.println(new String(body, StandardCharsets.UTF_8));
      System.out.println("Authorization: " + authorization);
      return 0;
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", ManagementEndpoint.CONTENT_TYPE)
        .header("Authorization", authorization)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> response;
    try (HttpClient http = HttpClient.newHttpClient()) {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      System.err.println("archy: cannot reach " + target + ": " + e.getMessage());
      return 3;
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      System.err.println("archy: " + target + " answered " + response.statusCode() + " without NIP-86 JSON");
      return 3;
    }
    String error = answer.path("error").isTextual() ? answer.path("error").textValue() : null;
    if (error != null) {
      System.err.println("archy: " + method + " failed (" + response.statusCode() + "): " + error);
      return response.statusCode() == 401 ? 4 : 1;
    }
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer.path("result")));
    return 0;
  }

  private Keys signer(Config config) throws IOException {
    String given = key != null ? key : System.getenv("ARCHY_ADMIN_KEY");
    if (given == null || given.isBlank()) return NodeKeys.load(config.node().key(), config.server().dataDir());
    try {
      return Keys.parse(given);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--key: " + e.getMessage());
    }
  }
}
