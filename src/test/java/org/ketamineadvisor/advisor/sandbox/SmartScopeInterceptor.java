package org.ketamineadvisor.advisor.sandbox;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOp;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.IdType;

/**
 * Allows exactly what a token's SMART scopes allow, within its patient's compartment: read and search for
 * {@code r}/{@code s} ({@code .read}), create for {@code c}, update for {@code u} ({@code .write}: both). Denials
 * are 403 with an OperationOutcome naming the missing permission.
 *
 * <p>{@code user/} scopes read and search their types across every patient (the clinic's list), with or without a
 * patient in context; writes stay tied to the token's patient whatever the scope level.
 *
 * <p>Beyond the compartment: Medications (not patient data of their own; the app {@code _include}s them) are
 * readable with any medication read scope, the token's own {@code fhirUser} is readable, and a Provenance may be
 * created with {@code Provenance.c} although its target, not the patient, ties it to the compartment — only by a token
 * with a patient, so that writes stay tied to the token's patient.
 */
final class SmartScopeInterceptor extends AuthorizationInterceptor {

  private static final Set<RestOperationTypeEnum> READS =
      Set.of(RestOperationTypeEnum.READ, RestOperationTypeEnum.VREAD);

  @Override
  public List<IAuthRule> buildRuleList(RequestDetails request) {
    SmartAccess access = request instanceof ServletRequestDetails servlet
        ? (SmartAccess) servlet.getServletRequest().getAttribute(SmartAccess.REQUEST_ATTRIBUTE)
        : null;
    if (access == null) {
      // only /metadata gets here without a token (BearerTokenFilter turned everything else away)
      return new RuleBuilder().allow().metadata().andThen().denyAll("no access token").build();
    }
    String type = request.getResourceName();
    RestOperationTypeEnum operation = request.getRestOperationType();
    SmartScopes scopes = access.scopes();
    if (access.patient() == null && access.fhirUser() == null && scopes.hasSystemScopes()) {
      return BackendServicesRules.forScopes(scopes, operation, type);
    }
    if (operation == RestOperationTypeEnum.SEARCH_TYPE && type != null && !scopes.allows(type, 's')
        && scopes.allows(type, 'r')) {
      return deny("the token may read " + type + " by id but not search it (no patient/" + type + ".s scope)");
    }
    if (READS.contains(operation) && type != null && !scopes.allows(type, 'r') && scopes.allows(type, 's')) {
      return deny("the token may search " + type + " but not read it by id (no patient/" + type + ".r scope)");
    }
    if (writesOnlyWhatTheScopesAllow(request, operation, scopes, access.patient())) {
      return new RuleBuilder().allowAll("the token's scopes allow every write of this request").build();
    }
    RuleBuilder rules = new RuleBuilder();
    rules.allow().metadata();
    rules.allow().transaction().withAnyOperation().andApplyNormalRules();
    if (access.fhirUser() != null) {
      rules.allow().read().instance(access.fhirUser());
    }
    if (access.systemRead()) {
      rules.allow().read().allResources().withAnyId();
    }
    if (scopes.readsAnyOf("MedicationRequest", "MedicationStatement", "Medication")) {
      rules.allow().read().resourcesOfType("Medication").withAnyId();
    }
    if (access.patient() != null && scopes.allows("Provenance", 'c')) {
      // only with a patient: a token without one (the clinic's list) writes nothing, whatever its user/ scopes
      rules.allow().create().resourcesOfType("Provenance").withAnyId();
    }
    for (String granted : scopes.acrossPatientsByType().keySet()) {
      if (scopes.readsAcrossPatients(granted)) {
        var read = rules.allow().read();
        if (granted.equals(SmartScopes.ANY_TYPE)) {
          read.allResources().withAnyId();
        } else {
          read.resourcesOfType(granted).withAnyId();
        }
      }
    }
    if (access.patient() != null) {
      IdType patient = new IdType("Patient", access.patient());
      for (String granted : scopes.permissionsByType().keySet()) {
        addCompartmentRules(rules, granted, scopes, patient);
      }
    }
    return rules.denyAll("the token's scopes " + scopes.permissionsByType().keySet() + " (patient "
        + access.patient() + "; user/ " + scopes.acrossPatientsByType().keySet() + ") do not allow " + operation + " "
        + (type == null ? "" : type)).build();
  }

  private static void addCompartmentRules(RuleBuilder rules, String type, SmartScopes scopes, IdType patient) {
    List<Function<IAuthRuleBuilderRule, IAuthRuleBuilderRuleOp>> allowed = new ArrayList<>();
    if (scopes.allows(type, 'r') || scopes.allows(type, 's')) {
      allowed.add(IAuthRuleBuilderRule::read);
    }
    if (scopes.allows(type, 'c')) {
      allowed.add(IAuthRuleBuilderRule::create);
    }
    for (Function<IAuthRuleBuilderRule, IAuthRuleBuilderRuleOp> operation : allowed) {
      IAuthRuleBuilderRuleOp op = operation.apply(rules.allow());
      (type.equals(SmartScopes.ANY_TYPE) ? op.allResources() : op.resourcesOfType(type))
          .inCompartment("Patient", patient);
    }
    if (scopes.allows(type, 'c')) {
      // the app's writes are conditional creates (ifNoneExist), so a retried write never duplicates
      var conditional = rules.allow().createConditional();
      if (type.equals(SmartScopes.ANY_TYPE)) {
        conditional.allResources();
      } else {
        conditional.resourcesOfType(type);
      }
    }
  }

  /**
   * Updates (a plain PUT, or PUT entries of a transaction such as the app's revision, which revokes the old plan):
   * HAPI's rule builder did not let a compartment-bound write rule through for an update here, so the sandbox checks
   * them itself: every entry must be a create of a type the token may create, or an update of a type it may update
   * whose resource belongs to the token's patient (its subject or patient reference).
   */
  private static boolean writesOnlyWhatTheScopesAllow(RequestDetails request, RestOperationTypeEnum operation,
      SmartScopes scopes, String patient) {
    if (patient == null) {
      return false;
    }
    if (operation == RestOperationTypeEnum.UPDATE && request.getResource() instanceof Resource resource) {
      return updateAllowed(resource, scopes, patient);
    }
    if (operation != RestOperationTypeEnum.TRANSACTION || !(request.getResource() instanceof Bundle bundle)) {
      return false;
    }
    boolean anyUpdate = false;
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      Resource resource = entry.getResource();
      Bundle.HTTPVerb method = entry.getRequest().getMethod();
      if (resource == null || method == null) {
        return false;
      }
      String type = resource.fhirType();
      if (method == Bundle.HTTPVerb.POST) {
        boolean ownPatient = "Provenance".equals(type) || belongsTo(resource, patient);
        if (!scopes.allows(type, 'c') || !ownPatient) {
          return false;
        }
      } else if (method == Bundle.HTTPVerb.PUT) {
        if (!updateAllowed(resource, scopes, patient)) {
          return false;
        }
        anyUpdate = true;
      } else {
        return false;
      }
    }
    return anyUpdate;
  }

  private static boolean updateAllowed(Resource resource, SmartScopes scopes, String patient) {
    return scopes.allows(resource.fhirType(), 'u') && belongsTo(resource, patient);
  }

  /** Whether the resource's subject or patient reference is the token's patient. */
  private static boolean belongsTo(Resource resource, String patient) {
    String expected = "Patient/" + patient;
    for (String path : List.of("subject", "patient")) {
      if (resource.getNamedProperty(path) != null) {
        for (org.hl7.fhir.r4.model.Base value : resource.getNamedProperty(path).getValues()) {
          if (value instanceof org.hl7.fhir.r4.model.Reference ref && expected.equals(ref.getReference())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static List<IAuthRule> deny(String why) {
    return new RuleBuilder().denyAll(why).build();
  }
}
