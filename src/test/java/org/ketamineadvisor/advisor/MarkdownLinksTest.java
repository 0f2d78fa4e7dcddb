package org.ketamineadvisor.advisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the repository's Markdown (README, docs/, launch/, terminology/, …) names a file or folder
 * that exists: the README is a front door to docs/, and a moved section must not leave a dead link behind.
 */
class MarkdownLinksTest {

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern EXTERNAL = Pattern.compile("^(https?:|mailto:|#).*");

  @Test
  void everyRelativeLinkInTheMarkdownResolves() throws IOException {
    List<String> dead = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("."))) {
      for (Path md : files.filter(p -> p.toString().endsWith(".md")).filter(MarkdownLinksTest::ours).toList()) {
        Matcher link = LINK.matcher(Files.readString(md));
        while (link.find()) {
          String target = link.group(1);
          if (!EXTERNAL.matcher(target).matches()
              && !Files.exists(md.getParent().resolve(target.replaceFirst("#.*$", "")).normalize())) {
            dead.add(md + " → " + target);
          }
        }
      }
    }
    assertThat(dead).as("relative links in the Markdown that resolve to nothing").isEmpty();
  }

  @Test
  void theReadmeIsAFrontDoorOfAboutTwoHundredLines() throws IOException {
    assertThat(Files.readAllLines(Path.of("README.md"))).as("README.md: the rest belongs in docs/").hasSizeLessThan(220);
  }

  private static boolean ours(Path path) {
    String p = path.normalize().toString();
    return !(p.startsWith("target") || p.contains("node_modules") || p.startsWith(".git"));
  }
}
