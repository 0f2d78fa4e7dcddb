package org.ketamineadvisor.advisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ketamineadvisor.advisor.cli.RecordBundles.aRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar keeps the command-line contract: {@code java -jar target/ketamine-advisor.jar assess …}. */
class ExecutableJarIT {

  @TempDir
  Path dir;

  @Test
  void assessRunsFromTheExecutableJarWithoutStartingTheWebApp() throws Exception {
    aRecord("p1").typicalCrpsOnOxycodone().writeTo(dir.resolve("p1.json"));
    Files.writeString(dir.resolve("broken.ndjson"), "{not json\n");

    Result result = java("assess", "--input", dir.toString(), "--as-of", "2026-06-01");

    assertThat(result.status).isEqualTo(2);
    assertThat(result.out).startsWith("{\"patient\":\"p1\",\"asOf\":\"2026-06-01\",\"verdict\":\"suitable-with-precautions\"");
    assertThat(result.err).contains("broken.ndjson, line 1");
    assertThat(result.out + result.err).doesNotContain("Tomcat").doesNotContain("Spring Boot");
  }

  @Test
  void helpDescribesTheCommand() throws Exception {
    Result result = java("assess", "--help");

    assertThat(result.status).isZero();
    assertThat(result.out).contains("--input").contains("--as-of").contains("--protocol").contains("--start")
        .contains("--emit-fhir");
  }

  private static Result java(String... args) throws IOException, InterruptedException {
    String jar = System.getProperty("advisor.jar", "target/ketamine-advisor.jar");
    assertThat(Path.of(jar)).as("the packaged jar (run with mvn verify)").exists();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("jar-out", ".txt");
    Path err = Files.createTempFile("jar-err", ".txt");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the jar finished").isTrue();
    Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  private record Result(int status, String out, String err) {}
}
