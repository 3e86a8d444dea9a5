package io.camelbitrix24.crm;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The component's package rules, read from its classes (the jar a second Camel line tests, or the classes folder):
 * the packages may not form a cycle, the machinery under {@code internal} never reaches up into the Camel surface, the
 * {@code spi} users implement depends on nothing of the component, and one package touches the HTTP library.
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
}
