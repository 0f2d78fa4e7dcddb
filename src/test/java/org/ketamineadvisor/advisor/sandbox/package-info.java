/**
 * The sandbox EHR used by tests and {@code spring-boot:test-run}: an embedded HAPI FHIR JPA server
 * ({@link org.ketamineadvisor.advisor.sandbox.EmbeddedFhirServer}) in a Spring context of its own.
 *
 * <p>Nothing here may carry {@code @Configuration} or {@code @Component}: the package sits below the app's
 * base package, so the app's component scan would otherwise pull the JPA server into the app's context.
 */
package org.ketamineadvisor.advisor.sandbox;
