package org.ketamineadvisor.advisor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The rules and the plan read like the specification: no Spring, HTTP or FHIR plumbing in them. */
@AnalyzeClasses(packages = "org.ketamineadvisor.advisor", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String[] PLUMBING = {
      "org.springframework..", "jakarta.servlet..", "java.net.http..", "org.apache.http..", "okhttp3..",
      "ca.uhn..", "org.hl7..", "com.fasterxml.jackson.."};

  @ArchTest
  static final ArchRule rulesAreFreeOfPlumbing = noClasses()
      .that().resideInAnyPackage("..advisor.assessment..", "..advisor.careplan..", "..advisor.course..")
      .should().dependOnClassesThat().resideInAnyPackage(PLUMBING)
      .because("assessment, careplan and course work on the app's own records (DESIGN.md § Layout)");

  @ArchTest
  static final ArchRule terminologyIsFreeOfHapiAndSpring = noClasses()
      .that().resideInAPackage("..advisor.terminology..")
      .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "ca.uhn..", "org.hl7..")
      .because("value sets are plain data the rules use; loading them needs no FHIR model");

  @ArchTest
  static final ArchRule dependenciesPointInward = noClasses()
      .that().resideInAnyPackage("..advisor.assessment..", "..advisor.careplan..", "..advisor.terminology..",
          "..advisor.fhir..", "..advisor.course..")
      .should().dependOnClassesThat().resideInAnyPackage("..advisor.cli..", "..advisor.web..", "..advisor.launch..",
          "..advisor.cds..", "..advisor.session..")
      .because("web, launch and cli call the core, never the other way round");
}
