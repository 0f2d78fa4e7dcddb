package org.ketamineadvisor.advisor.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ketamineadvisor.advisor.KetamineAdvisorApplication;
import org.springframework.boot.SpringApplication;

/**
 * {@code ./mvnw spring-boot:test-run}: the sandbox EHR first (FHIR server, SMART authorization server, EHR
 * simulator), then the app, allow-listing the sandbox as its one EHR.
 *
 * <p>System properties: {@code sandbox.port} (default {@value #DEFAULT_SANDBOX_PORT}, so the EHR page can be
 * bookmarked; 0 for any free port), {@code sandbox.seeds} (more Bundle files or
 * directories to load, separated by the path separator, e.g. a Synthea record). The app's port is
 * {@code server.port} / {@code PORT} (default 8080).
 */
public final class TestKetamineAdvisorApplication {

  /** The day the seed patients of {@code launch/sandbox/} are written for (their README). */
  public static final String SEED_AS_OF = "2026-06-01";

  /**
   * The scopes the app asks the sandbox for: the app's defaults, so the sandbox shows what a default registration
   * gets, and the {@code user/} read scopes of the clinic's list (SMART allows patient/ and user/ in one request).
   */
  static final String APP_SCOPES = String.join(" ", java.util.stream.Stream.concat(
      org.ketamineadvisor.advisor.launch.EhrRegistration.DEFAULT_SCOPES.stream(),
      org.ketamineadvisor.advisor.launch.EhrRegistration.CLINIC_SCOPES.stream()).toList());

  /** The SMART Backend Services client test-run registers, for {@code screen --fhir-base} against the sandbox. */
  static final String BACKEND_CLIENT = "ketamine-advisor-backend";

  /** Where test-run writes that client's private keys (owner-only; new keys on every start). */
  static final Path BACKEND_KEYS = Path.of("target", "sandbox-keys");

  /** A fixed port a newcomer can bookmark; tests start their sandboxes on free ports instead. */
  static final int DEFAULT_SANDBOX_PORT = 8090;

  private TestKetamineAdvisorApplication() {}

  public static void main(String[] args) {
    // --server.port=N (spring-boot.run.arguments) wins, as it does for the app; the sandbox must register the same base
    String appPort = Arrays.stream(args).filter(arg -> arg.startsWith("--server.port="))
        .map(arg -> arg.substring("--server.port=".length())).reduce((first, last) -> last)
        .orElse(System.getProperty("server.port", System.getenv().getOrDefault("PORT", "8080")));
    String appBase = "http://localhost:" + appPort;
    SandboxOptions options = SandboxOptions.defaults()
        .withPort(Integer.getInteger("sandbox.port", DEFAULT_SANDBOX_PORT))
        .withAppBase(appBase);
    String seeds = System.getProperty("sandbox.seeds", "");
    if (!seeds.isBlank()) {
      options = options.withExtraSeeds(
          Arrays.stream(seeds.split(java.io.File.pathSeparator)).map(Path::of).toList());
    }
    SandboxEhr sandbox = SandboxEhr.start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-ehr-shutdown"));
    BackendClient backend = BackendClient.register(sandbox, BACKEND_CLIENT, BACKEND_KEYS,
        java.time.Duration.ofMinutes(5), SmartAuthorizationServerConfig.systemScopes());

    List<String> appArgs = new ArrayList<>(Arrays.asList(args));
    appArgs.addAll(appArguments(sandbox));
    SpringApplication.from(KetamineAdvisorApplication::main).run(appArgs.toArray(String[]::new));

    System.out.println();
    System.out.println("EHR sandbox: open " + sandbox.ehrUrl() + " to launch the app at " + appBase
        + " (sign in as dr.ada / sandbox)");
    System.out.println("Population screen of the showcase patients (SMART Backend Services, Bulk Data export):");
    System.out.println("  java -jar target/ketamine-advisor.jar screen --fhir-base " + sandbox.fhirBaseUrl()
        + " --group " + SandboxEhr.SHOWCASE_GROUP + " --client-id " + backend.clientId() + " --private-key "
        + backend.privateKeyFile(com.nimbusds.jose.JWSAlgorithm.RS384) + " --out target/screen-showcase --as-of "
        + SEED_AS_OF);
    System.out.println();
  }

  /** The app's settings for the sandbox: the allow-listed EHR, plain-http cookies, the iframe, the EHR's clock. */
  public static List<String> appArguments(SandboxEhr sandbox) {
    return List.of(
        "--advisor.ehrs[0].issuer=" + sandbox.fhirBaseUrl(),
        "--advisor.ehrs[0].registration-id=sandbox",
        "--advisor.ehrs[0].name=Sandbox EHR",
        "--advisor.ehrs[0].client-id=" + SmartAuthorizationServerConfig.PUBLIC_CLIENT,
        "--advisor.ehrs[0].client-authentication=none",
        "--advisor.ehrs[0].scopes=" + APP_SCOPES.replace(' ', ','),
        // plain http on localhost; the EHR simulator shows the app in an iframe from its own origin
        "--advisor.security.secure-cookies=false",
        "--advisor.security.frame-ancestors='self' " + origin(sandbox.ehrUrl()),
        // the authorization server on the test classpath is the sandbox's, never the app's
        "--spring.autoconfigure.exclude="
            + "org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration,"
            + "org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration",
        // the clinic's day runs on the EHR's clock (starting on the seeds' day; the simulator's form moves it)
        "--" + SandboxClinicClock.PROPERTY + "=" + sandbox.issuer(),
        // the EHR simulator calls the CDS Hooks service with JWTs signed by its own key
        "--advisor.cds.clients[0].issuer=" + sandbox.issuer(),
        "--advisor.cds.clients[0].jwk-set-uri=" + sandbox.issuer() + "/oauth2/jwks",
        "--advisor.cds.patient-view=true");
  }

  private static String origin(String url) {
    java.net.URI uri = java.net.URI.create(url);
    return uri.getScheme() + "://" + uri.getAuthority();
  }
}
