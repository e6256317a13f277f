/**
 * GET /fhir/metadata: what this FHIR server does — exactly that, nothing more. Pure.
 */
import {
  EXTENSION,
  FHIR_JSON,
  FHIR_VERSION,
  ICD10_NO_SYSTEM,
  ICD10_WHO_SYSTEM,
  ICPC2_NO_SYSTEM,
  ICPC2_URI_SYSTEM,
  IDENTIFIER_SYSTEM,
  LOCAL_ID_SYSTEM_PREFIX,
  SNOMED_SYSTEM,
} from "./constants";
import type { FhirJson } from "./research-study";
import { DEFAULT_COUNT, MAX_COUNT } from "./search-params";

/** When this capability was last changed (bump with any change below). */
export const CAPABILITY_DATE = "2026-12-07";

export interface CapabilityOptions {
  /** BASE_URL + /fhir */
  fhirBase: string;
  softwareVersion: string;
}

export function capabilityStatement({ fhirBase, softwareVersion }: CapabilityOptions): FhirJson {
  return {
    resourceType: "CapabilityStatement",
    id: "kliniske-studier",
    url: `${fhirBase}/metadata`,
    version: softwareVersion,
    name: "KliniskeStudierFhir",
    title: "Kliniske studier – FHIR R4 ResearchStudy",
    status: "active",
    experimental: false,
    date: CAPABILITY_DATE,
    publisher: "Kliniske studier",
    description:
      "Åpent, skrivebeskyttet FHIR R4-endepunkt for kliniske studier i Norge. Status avledes fra hvert studiesteds inklusjonsdatoer i det øyeblikket noen spør (Europe/Oslo).",
    kind: "instance",
    software: { name: "Kliniske studier", version: softwareVersion },
    implementation: { description: "Kliniske studier – FHIR R4", url: fhirBase },
    fhirVersion: FHIR_VERSION,
    format: [FHIR_JSON, "json"],
    rest: [
      {
        mode: "server",
        documentation:
          "Bare lesing (GET). JSON (application/fhir+json); _format=xml gir 406. Ukjente søkeparametere ignoreres og nevnes i en OperationOutcome i Bundle (search.mode = outcome); med «Prefer: handling=strict» gir de 400. Ugyldige verdier gir 400 med OperationOutcome som sier hvilken parameter og hvorfor; ukjent id gir 404, en studie som er trukket tilbake 410. Komma i en verdi betyr ELLER, gjentatt parameter betyr OG.",
        security: { cors: true, description: "Åpne data: ingen innlogging." },
        resource: [
          {
            type: "ResearchStudy",
            documentation: [
              "Publiserte studier. Hvert studiested er et inneholdt (contained) ResearchStudy med partOf = studien og site = stedets Location, med stedets inklusjonsperiode i ECLAIRE-utvidelsen",
              `${EXTENSION.eclaireRecruitmentPeriod} (datoer i Europe/Oslo, slutt inkludert), status og R5 progressStatus (${EXTENSION.r5ProgressStatus}).`,
              `Studien selv har den samlede perioden (tidligste start, seneste slutt) i samme utvidelse, R5 recruitment (${EXTENSION.r5Recruitment}) og avledet status:`,
              "planlagt → approved, åpen → active, midlertidig stanset → temporarily-closed-to-accrual, avsluttet → closed-to-accrual, ingen steder → approved.",
              "meta.lastUpdated er siste lagrede endring eller siste gang et steds inklusjonsvindu åpnet eller lukket seg.",
            ].join(" "),
            interaction: [
              { code: "read", documentation: "GET /fhir/ResearchStudy/[id]; ETag og If-None-Match (304)." },
              {
                code: "search-type",
                documentation: `GET /fhir/ResearchStudy?…; Bundle searchset med total og lenkene self, first, previous, next, last; sortert etter id.`,
              },
            ],
            versioning: "no-version",
            readHistory: false,
            updateCreate: false,
            conditionalCreate: false,
            conditionalRead: "not-match",
            conditionalUpdate: false,
            conditionalDelete: "not-supported",
            searchParam: [
              {
                name: "_id",
                definition: "http://hl7.org/fhir/SearchParameter/Resource-id",
                type: "token",
                documentation: "Studiens id i portalen.",
              },
              {
                name: "identifier",
                definition: "http://hl7.org/fhir/SearchParameter/ResearchStudy-identifier",
                type: "token",
                documentation: `system|verdi, verdi alene (alle systemer) eller system| (har et nummer i registeret). Systemer: NCT ${IDENTIFIER_SYSTEM.nct}, EU CT ${IDENTIFIER_SYSTEM.euCt}, EudraCT ${IDENTIFIER_SYSTEM.eudract}, ISRCTN ${IDENTIFIER_SYSTEM.isrctn}, REK ${IDENTIFIER_SYSTEM.rek}, en organisasjons egen id ${LOCAL_ID_SYSTEM_PREFIX}<organisasjons-id>.`,
              },
              {
                name: "status",
                definition: "http://hl7.org/fhir/SearchParameter/ResearchStudy-status",
                type: "token",
                documentation:
                  "R4 ResearchStudy.status, avledet fra inklusjonsdatoene nå: approved, active, temporarily-closed-to-accrual, closed-to-accrual.",
              },
              {
                name: "condition",
                definition: "http://hl7.org/fhir/SearchParameter/ResearchStudy-condition",
                type: "token",
                documentation: `ICD-10-kode (C50, C50.9, C509; ${ICD10_NO_SYSTEM}|C509 eller ${ICD10_WHO_SYSTEM}|C50.9), som også finner underkoder; SNOMED CT-begreps-id (${SNOMED_SYSTEM}|254837009, slik sykehusenes studielister knytter diagnoser); ICPC-2-kode (${ICPC2_NO_SYSTEM}|T90 eller ${ICPC2_URI_SYSTEM}|T90), lest som ICD-10-kodene til samme begrep eller som søk på kodens navn; eller tekst (condition=brystkreft, condition:text=…) gjennom søkemotoren (synonymer, ICD-10-navn, skrivefeil).`,
              },
              {
                name: "focus",
                definition: "http://hl7.org/fhir/SearchParameter/ResearchStudy-focus",
                type: "token",
                documentation:
                  "Behandling ved navn (focus=metformin eller focus:text=metformin): studier med en intervensjon der navnet inneholder teksten, uten hensyn til store og små bokstaver.",
              },
              {
                name: "keyword",
                type: "string",
                documentation:
                  "Fritekst gjennom portalens søkemotor (tittel, sammendrag, tilstander, ICD-10-navn, behandlinger, steder; synonymer og skrivefeil).",
              },
              {
                name: "site",
                type: "token",
                documentation:
                  "Organisasjons-id (f.eks. ous, eller Organization/ous): studier med et aktivt studiested hos organisasjonen. Ukjent id gir 400.",
              },
              {
                name: "_lastUpdated",
                definition: "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated",
                type: "date",
                documentation:
                  "Prefiks eq (standard), gt, ge, lt, le; ÅÅÅÅ, ÅÅÅÅ-MM, ÅÅÅÅ-MM-DD eller dato og tid (uten tidssone: Europe/Oslo).",
              },
              {
                name: "_count",
                type: "number",
                documentation: `Antall per side, standard ${DEFAULT_COUNT}, høyst ${MAX_COUNT} (større verdier gir ${MAX_COUNT}); 0 gir bare total.`,
              },
              {
                name: "_offset",
                type: "number",
                documentation: "Hvor mange treff som hoppes over (brukes av side-lenkene).",
              },
              { name: "_summary", type: "token", documentation: "count: bare total, ingen ressurser." },
            ],
          },
        ],
      },
    ],
  };
}
