package io.camelbitrix24.crm;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The component's package rules, read from its classes (the jar a second Camel line tests, or the classes folder):
 * the packages are layers and never form a cycle, the machinery under {@code internal} never reaches up into the Camel
 * surface nor shows in its public signatures, the {@code spi} users implement depends on nothing of the component,
 * one package touches the HTTP library, and the packages with public types outside {@code internal} are the bundle's
 * exports. docs/architecture.md draws the same layers.
 */
@AnalyzeClasses(packages = Bitrix24ArchitectureTest.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class Bitrix24ArchitectureTest {

    static final String ROOT = "io.camelbitrix24.crm";

    /** A slice per package, the root included, so that a cycle between the root and a subpackage counts. */
    @ArchTest
    static final ArchRule noCycleBetweenPackages = slices().assignedFrom(new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass type) {
            return type.getPackageName().startsWith(ROOT) ? SliceIdentifier.of(type.getPackageName())
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "a slice per package of the component";
        }
    }).should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theMachineryNeverReachesUp = noClasses().that().resideInAPackage(ROOT + ".internal..")
            .should().dependOnClassesThat().resideInAPackage(ROOT)
            .because("the Camel surface uses the machinery under internal, never the other way round");

    @ArchTest
    static final ArchRule theSpiStandsAlone = noClasses().that().resideInAPackage(ROOT + ".spi..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT, ROOT + ".internal..")
            .because("users implement the spi: it brings none of the component's classes into their code");

    @ArchTest
    static final ArchRule onlyTheHttpPackageTouchesHttpComponents = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".internal.http..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.hc..")
            .because("HttpComponents 5 stays behind internal.http.HttpTransport, whose API differs between Camel lines");

    @ArchTest
    static final ArchRule onlyTheMetricsPackageTouchesMicrometer = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".internal.metrics..")
            .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
            .because("Micrometer is optional: it loads only behind internal.metrics.Meters, and only when present");

    /** Each layer uses only those below it: the surface wires them, the machinery never calls up. */
    @ArchTest
    static final ArchRule theLayers = layeredArchitecture().consideringOnlyDependenciesInAnyPackage(ROOT + "..")
            .layer("surface").definedBy(ROOT)
            .layer("portal").definedBy(ROOT + ".internal.portal..")
            .layer("health").definedBy(ROOT + ".internal.health..")
            .layer("metrics").definedBy(ROOT + ".internal.metrics..")
            .layer("input").definedBy(ROOT + ".internal.input..")
            .layer("send").definedBy(ROOT + ".internal.send..")
            .layer("auth").definedBy(ROOT + ".internal.auth..")
            .layer("call").definedBy(ROOT + ".internal.call..")
            .layer("http").definedBy(ROOT + ".internal.http..")
            .layer("spi").definedBy(ROOT + ".spi..")
            .whereLayer("surface").mayNotBeAccessedByAnyLayer()
            .whereLayer("portal").mayOnlyBeAccessedByLayers("surface")
            .whereLayer("health").mayOnlyBeAccessedByLayers("surface")
            .whereLayer("metrics").mayOnlyBeAccessedByLayers("surface")
            .whereLayer("input").mayOnlyBeAccessedByLayers("surface", "portal")
            .whereLayer("send").mayOnlyBeAccessedByLayers("surface", "portal", "health", "metrics")
            .whereLayer("auth").mayOnlyBeAccessedByLayers("surface", "portal", "send")
            .whereLayer("call").mayOnlyBeAccessedByLayers("surface", "portal", "health", "input", "send", "auth")
            .whereLayer("http").mayOnlyBeAccessedByLayers("surface", "portal", "health", "send", "auth", "call")
            .whereLayer("spi").mayOnlyBeAccessedByLayers("surface", "portal", "health", "send", "auth");

    /**
     * A route or a user's bean sees no internal type: not as a public or protected method's return or parameter, a
     * public field, a supertype or a thrown exception of a public type outside {@code internal}.
     */
    @ArchTest
    static final ArchRule noInternalTypeInThePublicApi = classes().that().arePublic()
            .and().resideOutsideOfPackage(ROOT + ".internal..").and().resideInAPackage(ROOT + "..")
            .should(new ArchCondition<JavaClass>("show no type under internal in their public signatures") {
                @Override
                public void check(JavaClass type, ConditionEvents events) {
                    type.getRawSuperclass().ifPresent(superclass -> report(type, "extends", superclass, events));
                    type.getRawInterfaces().forEach(iface -> report(type, "implements", iface, events));
                    for (JavaCodeUnit unit : type.getCodeUnits()) {
                        if (isVisible(unit.getModifiers())) {
                            report(unit, "returns", unit.getRawReturnType(), events);
                            unit.getRawParameterTypes().forEach(p -> report(unit, "takes", p, events));
                            unit.getThrowsClause().getTypes().forEach(t -> report(unit, "throws", t, events));
                        }
                    }
                    for (JavaField field : type.getFields()) {
                        if (isVisible(field.getModifiers())) {
                            report(field, "is a", field.getRawType(), events);
                        }
                    }
                }

                private boolean isVisible(Set<JavaModifier> modifiers) {
                    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
                }

                private void report(Object where, String how, JavaClass used, ConditionEvents events) {
                    if (used.getPackageName().startsWith(ROOT + ".internal")) {
                        events.add(SimpleConditionEvent.violated(where, where + " " + how + " " + used.getName()));
                    }
                }
            });

    /** The packages with public types outside internal are what the bundle exports, neither more nor less. */
    @ArchTest
    static void theApiPackagesAreTheBundlesExports(JavaClasses component) throws Exception {
        Set<String> api = component.stream()
                .filter(type -> type.getModifiers().contains(JavaModifier.PUBLIC) && !type.isNestedClass())
                .map(JavaClass::getPackageName)
                .filter(name -> name.startsWith(ROOT) && !name.startsWith(ROOT + ".internal"))
                .collect(Collectors.toCollection(TreeSet::new));
        // the manifest of the jar a second Camel line tests, or the one the build wrote beside the classes
        Set<String> exported = new TreeSet<>(Bitrix24OsgiBundleTest.clauses(
                Bitrix24OsgiBundleTest.manifest().getValue("Export-Package")).keySet());
        assertEquals(api, exported, "the packages of the public API and the bundle's Export-Package");
    }
}
