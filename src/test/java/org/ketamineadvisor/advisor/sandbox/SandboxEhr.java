package org.ketamineadvisor.advisor.sandbox;

import org.ketamineadvisor.advisor.fhir.chart.ChartAccess;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.apache.catalina.Wrapper;
import org.apache.catalina.core.StandardContext;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.catalina.startup.Tomcat;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.ketamineadvisor.advisor.sandbox.LaunchContexts.LaunchContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jakarta.servlet.Filter;
import org.springframework.web.context.ContextLoaderListener;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.filter.DelegatingFilterProxy;

/**
 * The embedded EHR on one port: the HAPI JPA FHIR server at {@code /fhir} protected by SMART bearer tokens, a SMART
 * authorization server (Spring Authorization Server, issuer = the sandbox's origin) and the EHR simulator at
 * {@code /ehr}, seeded with the showcase patients of {@code launch/sandbox/}.
 */
public final class SandboxEhr implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SandboxEhr.class);

  /** The public client ({@code none}, PKCE required); see {@code launch/sandbox/SANDBOX.md} § Registered clients. */
  public static final String PUBLIC_CLIENT = SmartAuthorizationServerConfig.PUBLIC_CLIENT;
  /** The {@code client_secret_basic} client; its secret is {@link SandboxOptions#confidentialClientSecret()}. */
  public static final String CONFIDENTIAL_CLIENT = SmartAuthorizationServerConfig.CONFIDENTIAL_CLIENT;
  /** The {@code private_key_jwt} client; the sandbox reads its keys from {@code {appBase}/.well-known/jwks.json}. */
  public static final String JWT_CLIENT = SmartAuthorizationServerConfig.JWT_CLIENT;

  /** Its own name: the app on another port of the same host would otherwise overwrite the EHR's JSESSIONID. */
  static final String SESSION_COOKIE = "SANDBOX_EHR_SESSION";

  private static final Path SEED_DIR = Path.of("launch", "sandbox");

  /** The EHR clocks of the sandboxes running in this JVM, by issuer: the app beside one finds its clock here. */
  private static final java.util.Map<String, EhrClock> RUNNING = new java.util.concurrent.ConcurrentHashMap<>();

  private final EmbeddedFhirServer fhirServer;
  private final SandboxSetup setup;
  private final List<SeedPatient> patients;
  private final NetworkLatency latency;
  private final BackendClients backendClients;

  private SandboxEhr(EmbeddedFhirServer fhirServer, SandboxSetup setup, List<SeedPatient> patients,
      NetworkLatency latency, BackendClients backendClients) {
    this.fhirServer = fhirServer;
    this.setup = setup;
    this.patients = patients;
    this.latency = latency;
    this.backendClients = backendClients;
  }

  /** From now on every FHIR request is held this long before the server answers (zero: none). */
  public void holdFhirRequests(java.time.Duration hold) {
    latency.set(hold);
  }

  /**
   * Starts and seeds the sandbox (about 10 s, most of it HAPI's JPA context).
   *
   * @throws IllegalStateException when it cannot start, e.g. because the port is taken or {@code launch/sandbox}
   *     is not below the working directory
   */
  public static SandboxEhr start(SandboxOptions options) {
    Path seeds = seedDir();
    // the app's port is chosen before the app binds it: never hand the same one to the sandbox
    int port = options.port() == 0 ? freePortOtherThan(java.net.URI.create(options.appBase()).getPort())
        : options.port();
    String issuer = "http://localhost:" + port;
    // the seeds' day at the current time of day, running on: the seeds' "this morning" and the README's examples hold
    EhrClock ehrClock = EhrClock.startingOn(LocalDate.parse(TestKetamineAdvisorApplication.SEED_AS_OF),
        options.clock());
    SandboxSetup setup = new SandboxSetup(options, issuer, issuer + SandboxPages.FHIR_PATH, new LaunchContexts(),
        signingKey(), ehrClock);
    List<SeedPatient> patients = SeedPatient.readAll(seeds);

    AnnotationConfigWebApplicationContext web = new AnnotationConfigWebApplicationContext();
    web.register(SmartAuthorizationServerConfig.class);
    BackendClients backendClients = new BackendClients(setup);
    web.addBeanFactoryPostProcessor(beans -> {
      beans.registerSingleton("sandboxSetup", setup);
      beans.registerSingleton("backendClients", backendClients);
    });
    BearerTokenFilter bearerTokens = new BearerTokenFilter(setup);
    NetworkLatency latency = new NetworkLatency(options.fhirLatency());
    SmartScopeInterceptor scopes = new SmartScopeInterceptor();

    EmbeddedFhirServer fhirServer = EmbeddedFhirServer.start(port, (context, restfulServer) -> {
      context.setSessionCookieName(SESSION_COOKIE);
      context.addApplicationLifecycleListener(new ContextLoaderListener(web));
      addFilter(context, "springSecurityFilterChain", new DelegatingFilterProxy("springSecurityFilterChain", web), "/*");
      addFilter(context, "networkLatency", latency, SandboxPages.FHIR_PATH + "/*");
      addFilter(context, "bearerTokens", bearerTokens, SandboxPages.FHIR_PATH + "/*");
      addServlet(context, "signIn", new SignInPage(), SandboxPages.LOGIN_PATH);
      addServlet(context, "consent", new ConsentPage(), SandboxPages.CONSENT_PATH);
      addServlet(context, "patientPicker", new PatientPicker.Page(patients, setup.launches(), ehrClock),
          SandboxPages.PATIENT_PICKER_PATH);
      addServlet(context, "ehr", new EhrSimulatorPage(setup, patients), SandboxPages.EHR_PATH,
          SandboxPages.EHR_LAUNCH_PATH);
      addServlet(context, "ehrRecord", new ChartRecorder(setup, patients), ChartRecorder.PATH);
      addServlet(context, "ehrClock", new EhrClockForm(setup), EhrClockForm.PATH);
      addServlet(context, "ehrOrder", new CdsCardsPanel(setup, patients), CdsCardsPanel.ORDER_PATH);
      addServlet(context, "smartConfiguration", new SmartConfigurationEndpoint(setup),
          SandboxPages.SMART_CONFIGURATION_PATH);
      addServlet(context, "smartStyle", new SmartConfigurationEndpoint.Style(), SandboxPages.SMART_STYLE_PATH);
      addServlet(context, "home", new HomeRedirect(), "");
      // without a default servlet Tomcat answers 404 before any filter runs, and the authorization server's
      // endpoints are filters
      addServlet(context, "notFound", new NotFound(), "/");
    });
    try {
      long started = System.nanoTime();
      fhirServer.load(seeds);
      fhirServer.load(practitioners());
      options.extraSeeds().forEach(fhirServer::load);
      fhirServer.load(showcaseGroup(patients));
      if (patients.stream().anyMatch(p -> p.id().equals(SIGNED_PLAN_PATIENT))) {
        signShowcasePlan(fhirServer.baseUrl(), setup.fhirUserClaim(DemoUser.DR_ADA), ehrClock.instant());
      }
      for (ShowcaseCourse course : ShowcaseCourse.ALL) {
        if (patients.stream().anyMatch(p -> p.id().equals(course.patient()))) {
          course.seed(fhirServer.baseUrl(), setup.fhirUserClaim(DemoUser.DR_ADA), ehrClock);
        }
      }
      log.info("Sandbox EHR seeded in {} ms", (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException e) {
      fhirServer.close();
      throw new IllegalStateException("The sandbox EHR started but could not be seeded: " + e.getMessage(), e);
    }
    fhirServer.restfulServer().registerInterceptor(scopes);
    bearerTokens.startGuarding();
    SandboxEhr sandbox = new SandboxEhr(fhirServer, setup, patients, latency, backendClients);
    RUNNING.put(sandbox.issuer(), ehrClock);
    log.info("Sandbox EHR up: EHR {} · FHIR {} · issuer {} · app {}", sandbox.ehrUrl(), sandbox.fhirBaseUrl(),
        sandbox.issuer(), options.appBase());
    return sandbox;
  }

  /**
   * The id of the Group of every showcase patient, for a Group-level Bulk Data export
   * ({@code screen --fhir-base … --group showcase}).
   */
  public static final String SHOWCASE_GROUP = "showcase";

  /** The showcase patients as one Group (PUT, so a restart on a kept database does not duplicate it). */
  static Bundle showcaseGroup(List<SeedPatient> patients) {
    Group group = new Group().setType(Group.GroupType.PERSON).setActual(true).setName("Sandbox showcase patients");
    group.setId(SHOWCASE_GROUP);
    patients.forEach(patient -> group.addMember().setEntity(new Reference("Patient/" + patient.id())));
    Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
    bundle.addEntry().setResource(group).getRequest().setMethod(HTTPVerb.PUT).setUrl("Group/" + SHOWCASE_GROUP);
    return bundle;
  }

  /**
   * Registers a SMART Backend Services client ({@code client_credentials}, {@code private_key_jwt} signed RS384 or
   * ES384 with a key of {@code publicJwks}), allowed {@code scopes} ({@code system/…}), its access tokens living
   * {@code accessTokenTtl}. {@link BackendClient} makes the keys and calls this.
   */
  public void registerBackendClient(String clientId, JWKSet publicJwks, Collection<String> scopes,
      Duration accessTokenTtl) {
    backendClients.register(clientId, publicJwks, scopes, accessTokenTtl);
  }

  /** The token endpoint, as the smart-configuration names it. */
  public String tokenEndpoint() {
    return BackendClients.tokenEndpoint(setup.issuer());
  }

  /**
   * Accepts client assertions addressed to the token endpoint at {@code origin} too: the sandbox reached through a
   * proxy ({@link FaultProxy}), whose clients sign for the token endpoint the proxy's smart-configuration names.
   */
  public void acceptTokenEndpointAt(String origin) {
    backendClients.acceptTokenEndpointAt(origin);
  }

  /** The showcase patient whose plan the sandbox signs at start-up, so a launch shows a signed plan to revise. */
  static final String SIGNED_PLAN_PATIENT = "signed-plan";

  /**
   * Signs the showcase plan as Dr Ada through the app's own workspace (the same read, rules and write as the page),
   * before the FHIR server starts guarding with bearer tokens; idempotent, since a later start finds it signed.
   */
  static void signShowcasePlan(String fhirBase, String fhirUser, java.time.Instant at) {
    var workspace = org.ketamineadvisor.advisor.workspace.PatientWorkspace.forR4(
        org.ketamineadvisor.advisor.terminology.ValueSetTerminology.loadDefault(),
        new org.ketamineadvisor.advisor.terminology.UcumUnitConverter(),
        org.ketamineadvisor.advisor.fhir.server.FhirClientSettings.defaults());
    var access = new org.ketamineadvisor.advisor.fhir.chart.ChartAccess(true, true);
    var opened = workspace.open(new org.ketamineadvisor.advisor.workspace.PatientWorkspace.Launch(fhirBase,
        SIGNED_PLAN_PATIENT, "sandbox-seed", java.time.LocalDate.parse(TestKetamineAdvisorApplication.SEED_AS_OF),
        access));
    if (opened.chart().currentPlan().isPresent()) {
      return;
    }
    var assessed = workspace.assess(opened, List.of(), List.of(),
        org.ketamineadvisor.advisor.careplan.PlanRequest.defaults());
    var result = workspace.sign(opened, assessed, new org.ketamineadvisor.advisor.workspace.PatientWorkspace.Signing(
        fhirUser, DemoUser.DR_ADA.displayName(), at, org.ketamineadvisor.advisor.workspace.AppVersion.version(), "sandbox-seed", access, null, false));
    if (!result.succeeded()) {
      throw new IllegalStateException("could not sign the showcase plan of " + SIGNED_PLAN_PATIENT + ": "
          + result.failure());
    }
  }

  /**
   * A read-only access token ({@code system/*.rs}, any resource) signed with the sandbox's own key, for tests that
   * check what an app wrote, as the EHR's staff would look in the chart. Valid for five minutes.
   */
  public String readToken(String patientId) {
    return patientToken(patientId, List.of(BearerTokenFilter.SYSTEM_READ), null);
  }

  /**
   * An access token for the patient with the given SMART scopes (and {@code fhirUser}, may be null), as the sandbox's
   * authorization server would issue after a launch: for tests of what a scope allows. Valid for five minutes.
   */
  public String patientToken(String patientId, List<String> scopes, String fhirUser) {
    return patientToken(setup, patientId, scopes, fhirUser);
  }

  /** As {@link #patientToken(String, List, String)}, for the sandbox's own pages (e.g. recording in the chart). */
  static String patientToken(SandboxSetup setup, String patientId, List<String> scopes, String fhirUser) {
    java.time.Instant now = setup.options().clock().instant();
    com.nimbusds.jwt.JWTClaimsSet claims = new com.nimbusds.jwt.JWTClaimsSet.Builder()
        .issuer(setup.issuer())
        .audience(List.of(setup.fhirBase()))
        .issueTime(java.util.Date.from(now))
        .expirationTime(java.util.Date.from(now.plusSeconds(300)))
        .claim("scope", String.join(" ", scopes))
        .claim(SmartTokenClaims.PATIENT, patientId)
        .claim(SmartTokenClaims.FHIR_USER, fhirUser)
        .build();
    try {
      com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
          new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
              .keyID(setup.signingKey().getKeyID()).build(), claims);
      jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(setup.signingKey()));
      return jwt.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException("could not sign a sandbox read token", e);
    }
  }

  SandboxSetup setup() {
    return setup;
  }

  /** The FHIR base URL ({@code iss} of a launch, {@code aud} of a token), e.g. {@code http://localhost:41234/fhir}. */
  public String fhirBaseUrl() {
    return setup.fhirBase();
  }

  /** The authorization server's issuer: the sandbox's origin, e.g. {@code http://localhost:41234}. */
  public String issuer() {
    return setup.issuer();
  }

  /** The EHR simulator page. */
  public String ehrUrl() {
    return setup.issuer() + SandboxPages.EHR_PATH;
  }

  /** The seed patients the EHR lists, e.g. {@code crps-suitable}. */
  public List<String> patientIds() {
    return patients.stream().map(SeedPatient::id).toList();
  }

  /** Creates an EHR launch code for {@code patientId}, as the simulator's Launch button does. */
  public String createLaunch(String patientId) {
    return setup.launches().create(new LaunchContext(patientId, null, false));
  }

  /** Creates a provider-level launch code (no patient), as the simulator's "Open the clinic's list" button does. */
  public String createClinicLaunch() {
    return setup.launches().create(LaunchContext.providerLevel());
  }

  /** The app's launch URL for a launch code, or its standalone launch URL when {@code launchCode} is null. */
  public String appLaunchUrl(String launchCode) {
    return EhrSimulatorPage.launchUrl(setup, launchCode);
  }

  /** Stops the web server and drops the database. Idempotent. */
  @Override
  public void close() {
    RUNNING.remove(issuer(), setup.ehrClock());
    fhirServer.close();
  }

  /**
   * The EHR's date and time: set it (or use the simulator's "EHR date and time" form) to move the EHR, and the app
   * started with {@link TestKetamineAdvisorApplication#appArguments}, through a course. Tokens keep real time.
   */
  public EhrClock ehrClock() {
    return setup.ehrClock();
  }

  /** The clock of the sandbox running in this JVM under {@code issuer}, for the app started beside it. */
  static java.util.Optional<EhrClock> ehrClockOf(String issuer) {
    return java.util.Optional.ofNullable(RUNNING.get(issuer));
  }

  /** The user's own Practitioner, so that an app can read its {@code fhirUser}. */
  static Bundle practitioners() {
    Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
    for (DemoUser user : DemoUser.ALL) {
      Practitioner practitioner = new Practitioner();
      String id = user.fhirUser().substring(user.fhirUser().indexOf('/') + 1);
      practitioner.setId(id);
      practitioner.addName(new HumanName().setText(user.displayName()));
      bundle.addEntry().setResource(practitioner).getRequest().setMethod(HTTPVerb.PUT).setUrl(user.fhirUser());
    }
    return bundle;
  }

  private static Path seedDir() {
    if (!Files.isDirectory(SEED_DIR)) {
      throw new IllegalStateException("The sandbox's seed patients are not in " + SEED_DIR.toAbsolutePath()
          + "; start it from the project directory (where pom.xml is)");
    }
    return SEED_DIR;
  }

  private static RSAKey signingKey() {
    try {
      return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("Could not generate the sandbox's token signing key", e);
    }
  }

  /**
   * A port nothing listens on now. The sandbox's issuer and the app's redirect URI must be known before either
   * starts, so tests choose ports up front rather than letting Tomcat pick.
   */
  public static int freePort() {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port", e);
    }
  }

  private static int freePortOtherThan(int taken) {
    int port = freePort();
    while (port == taken) {
      port = freePort();
    }
    return port;
  }

  private static void addFilter(StandardContext context, String name, Filter filter, String urlPattern) {
    FilterDef definition = new FilterDef();
    definition.setFilterName(name);
    definition.setFilter(filter);
    definition.setAsyncSupported("true");
    context.addFilterDef(definition);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName(name);
    mapping.addURLPatternDecoded(urlPattern);
    context.addFilterMap(mapping);
  }

  private static void addServlet(StandardContext context, String name, HttpServlet servlet, String... paths) {
    Wrapper wrapper = Tomcat.addServlet(context, name, servlet);
    wrapper.setAsyncSupported(true);
    for (String path : paths) {
      context.addServletMappingDecoded(path, name);
    }
  }

  /** What no filter or servlet handled. */
  private static final class NotFound extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      SandboxPages.write(response, HttpServletResponse.SC_NOT_FOUND, "Not found",
          "<p class=\"error\" role=\"alert\">Nothing here. The EHR is at <a href=\"" + SandboxPages.EHR_PATH + "\">"
              + SandboxPages.EHR_PATH + "</a>, the FHIR server at " + SandboxPages.FHIR_PATH + ".</p>");
    }
  }

  /** The sandbox's root opens the EHR simulator. */
  private static final class HomeRedirect extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.sendRedirect(SandboxPages.EHR_PATH);
    }
  }
}
