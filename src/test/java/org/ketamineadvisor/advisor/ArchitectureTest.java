package org.ketamineadvisor.advisor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rooms of the code and which may use which (docs/development.md § Rooms). Data flows one way: the doors
 * (web, cds, cli, launch, session) call the workspace, which reads through the server or files rooms, maps to the
 * app's records, assesses with the core, and writes through the writing room; the chart room reads back what the app
 * wrote. A room never uses one above it, so a class nested in a higher room cannot be used from below either. The
 * wiring (config: the beans every door shares) is used by no room; Spring reads it.
 */
@AnalyzeClasses(packages = "org.ketamineadvisor.advisor", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String[] PLUMBING = {
      "org.springframework..", "jakarta.servlet..", "java.net.http..", "org.apache.http..", "okhttp3..",
      "ca.uhn..", "org.hl7..", "com.fasterxml.jackson.."};

  @ArchTest
  static final ArchRule roomsOnlyUseTheRoomsBelow = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("Core").definedBy("..advisor.assessment..", "..advisor.careplan..", "..advisor.course..",
          "..advisor.terminology..")
      .layer("Mapping").definedBy("..advisor.fhir.mapping..")
      .layer("Files").definedBy("..advisor.fhir.files..")
      .layer("Server").definedBy("..advisor.fhir.server..")
      .layer("Writing").definedBy("..advisor.fhir.writing..")
      .layer("Chart").definedBy("..advisor.fhir.chart..")
      .layer("Bulk").definedBy("..advisor.fhir.bulk..")
      .layer("Workspace").definedBy("..advisor.workspace..")
      .layer("Screening").definedBy("..advisor.screen..")
      .layer("Doors").definedBy("..advisor.web..", "..advisor.cds..", "..advisor.cli..", "..advisor.launch..",
          "..advisor.session..")
      .layer("Wiring").definedBy("..advisor.config..")
      .whereLayer("Wiring").mayNotBeAccessedByAnyLayer()
      .whereLayer("Core").mayNotAccessAnyLayer()
      .whereLayer("Mapping").mayOnlyAccessLayers("Core")
      .whereLayer("Files").mayOnlyAccessLayers("Core", "Mapping")
      .whereLayer("Server").mayOnlyAccessLayers("Core", "Mapping")
      .whereLayer("Writing").mayOnlyAccessLayers("Core", "Mapping")
      .whereLayer("Chart").mayOnlyAccessLayers("Core", "Mapping", "Server", "Writing")
      .whereLayer("Bulk").mayOnlyAccessLayers("Core")
      .whereLayer("Workspace").mayOnlyAccessLayers("Core", "Mapping", "Files", "Server", "Writing", "Chart")
      .whereLayer("Screening").mayOnlyAccessLayers("Core", "Mapping", "Files", "Server", "Writing", "Bulk",
          "Workspace")
      .because("mapping reads no server and writes nothing, writing sends nothing, and the doors call the rooms, "
          + "never the other way round");

  @ArchTest
  static final ArchRule fhirRoomsHaveNoCycles = slices().matching("..advisor.fhir.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule roomsHaveNoCycles = slices().matching("..advisor.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule rulesAreFreeOfPlumbing = noClasses()
      .that().resideInAnyPackage("..advisor.assessment..", "..advisor.careplan..", "..advisor.course..")
      .should().dependOnClassesThat().resideInAnyPackage(PLUMBING)
      .because("assessment, careplan and course work on the app's own records");

  @ArchTest
  static final ArchRule terminologyIsFreeOfHapiAndSpring = noClasses()
      .that().resideInAPackage("..advisor.terminology..")
      .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "ca.uhn..", "org.hl7..")
      .because("value sets are plain data the rules use; loading them needs no FHIR model");

  @ArchTest
  static final ArchRule roomsBelowTheDoorsAreFreeOfSpringWeb = noClasses()
      .that().resideInAnyPackage("..advisor.fhir..", "..advisor.workspace..")
      .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "jakarta.servlet..")
      .because("HTTP requests and sessions belong to the doors");
}
