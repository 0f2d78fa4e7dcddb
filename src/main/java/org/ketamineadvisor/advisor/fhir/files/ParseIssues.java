package org.ketamineadvisor.advisor.fhir.files;

import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * HAPI's lenient parsing (unknown elements and bad values are kept out, the rest is read) with the
 * issues collected instead of logged, so they can be reported against the file and line they came from.
 */
final class ParseIssues extends LenientErrorHandler {

  private final List<String> issues = new ArrayList<>();

  ParseIssues() {
    super(false);
    // a bad date or code should cost that element, not the whole resource (and is still reported)
    setErrorOnInvalidValue(false);
  }

  /** The issues since the last call, and forgets them. */
  List<String> drain() {
    List<String> found = List.copyOf(issues);
    issues.clear();
    return found;
  }

  @Override
  public void unknownElement(IParseLocation location, String name) {
    issues.add("unknown element '" + name + "'" + where(location) + " ignored");
  }

  @Override
  public void unknownAttribute(IParseLocation location, String name) {
    issues.add("unknown attribute '" + name + "'" + where(location) + " ignored");
  }

  @Override
  public void unexpectedRepeatingElement(IParseLocation location, String name) {
    issues.add("element '" + name + "'" + where(location) + " repeats but may occur once; extra values ignored");
  }

  @Override
  public void incorrectJsonType(IParseLocation location, String name, ValueType expected, ScalarType expectedScalar,
      ValueType found, ScalarType foundScalar) {
    issues.add(createIncorrectJsonTypeMessage(name, expected, expectedScalar, found, foundScalar));
  }

  @Override
  public void invalidValue(IParseLocation location, String value, String error) {
    issues.add("invalid value '" + value + "'" + where(location) + " (" + error + ") ignored");
  }

  @Override
  public void missingRequiredElement(IParseLocation location, String name) {
    issues.add("required element '" + name + "'" + where(location) + " is missing");
  }

  @Override
  public void containedResourceWithNoId(IParseLocation location) {
    issues.add("a contained resource" + where(location) + " has no id and was dropped");
  }

  @Override
  public void unknownReference(IParseLocation location, String reference) {
    issues.add("reference '" + reference + "'" + where(location) + " points to no contained resource");
  }

  @Override
  public void invalidInternalReference(IParseLocation location, String reference) {
    issues.add("internal reference '" + reference + "'" + where(location) + " is invalid");
  }

  @Override
  public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
    issues.add("an extension" + where(location) + " has both a value and nested extensions");
  }

  private static String where(IParseLocation location) {
    String parent = location == null ? null : location.getParentElementName();
    return parent == null ? "" : " in " + parent;
  }
}
