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

  @Test
  void theJarStaysLeanAndValidatesWhatTheAppWritesAgainstItsProfiles() throws Exception {
    String jar = System.getProperty("advisor.jar", "target/ketamine-advisor.jar");
    // 114.5 MB before shared sessions (Lettuce, Netty, Reactor, Spring Data Redis, Spring Session: +10 MB) and the
    // iCalendar writer (+0.7 MB): the budget leaves room for that, not for another validator model
    assertThat(Files.size(Path.of(jar))).as("the executable jar's size in bytes").isLessThanOrEqualTo(130_000_000L);

    Path emitted = dir.resolve("emitted");
    Result assess = java("assess", "--input", "launch/sandbox", "--as-of", "2026-06-01", "--emit-fhir",
        emitted.toString());
    assertThat(assess.status).as(assess.err).isZero();
    List<String> bundles = new ArrayList<>();
    try (var files = Files.list(emitted)) {
      files.map(Path::toString).sorted().forEach(bundles::add);
    }
    List<String> args = new ArrayList<>(List.of("validate"));
    args.addAll(bundles);
    // the validator runs from the lean jar: every class it needs is there, and what the app writes is valid
    Result valid = java(args.toArray(String[]::new));
    assertThat(valid.status).as(valid.err).isZero();
    assertThat(valid.out.lines()).hasSizeGreaterThan(30).allMatch(l -> l.startsWith("valid: "));
    assertThat(valid.err).doesNotContain("NoClassDefFoundError").doesNotContain("ClassNotFoundException");

    Path broken = dir.resolve("careplan-without-status.json");
    Files.writeString(broken, "{\"resourceType\":\"CarePlan\",\"id\":\"bad\",\"meta\":{\"profile\":"
        + "[\"https://ketamine-advisor.org/fhir/StructureDefinition/ketamine-care-plan\"]},\"intent\":\"plan\","
        + "\"subject\":{\"reference\":\"Patient/x\"}}");
    Result invalid = java("validate", broken.toString());
    assertThat(invalid.status).isEqualTo(2);
    assertThat(invalid.err).contains("invalid: ").contains("CarePlan/bad").contains("CarePlan.status");
  }

  @Test
  void theWebAppStartsFromTheJarWithServeAndAnUnknownCommandStartsNothing() throws Exception {
    Result unknown = java("asess");
    assertThat(unknown.status).isEqualTo(2);
    assertThat(unknown.err).contains("unknown command 'asess'");
    assertThat(unknown.out + unknown.err).doesNotContain("Tomcat");

    String jar = System.getProperty("advisor.jar", "target/ketamine-advisor.jar");
    Path log = Files.createTempFile("jar-serve", ".log");
    Process web = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
        "serve", "--server.port=0").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      String text = "";
      while (System.nanoTime() < deadline && !text.contains("Started KetamineAdvisorApplication") && web.isAlive()) {
        Thread.sleep(200);
        text = Files.readString(log, StandardCharsets.UTF_8);
      }
      assertThat(text).contains("Started KetamineAdvisorApplication").doesNotContain("NoClassDefFoundError")
          .doesNotContain("ClassNotFoundException");
    } finally {
      web.destroy();
      web.waitFor(20, TimeUnit.SECONDS);
      Files.deleteIfExists(log);
    }
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
