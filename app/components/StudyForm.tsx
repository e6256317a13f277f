/**
 * The register/edit form for a study (Conform + the study schema, app/domain/study-form.ts).
 *
 * Works without JavaScript: a normal POST, the server validates with the same schema and sends
 * back every value typed with the problems; "Legg til/Fjern studiested" are submit buttons with
 * Conform's list intents, which the server applies. With JavaScript, fields are checked when
 * you leave them (and again as you type once they have a problem), the ICD-10 search appears,
 * and on a failed submit the error summary at the top takes focus.
 */
import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { fieldLabel, splitIcd10, type studyToForm } from "#app/domain/study-form";
import { parseStudyForm } from "#app/forms/study-form";
import { CONTACT_ROLES, PHASES, SEXES, STUDY_TYPES } from "#app/domain/study";
import { PHASE_LABEL, SEX_LABEL, STUDY_TYPE_LABEL } from "#app/domain/labels";
import { CsrfField } from "./SignedIn";
import { ErrorList, FormField, textInputProps } from "./forms";
import { Icd10Combobox, type Icd10Option } from "./Icd10Combobox";

export interface StudyFormOptions {
  leadOrganisations: { id: string; name: string }[];
  organisations: { id: string; name: string }[];
  /** Each organisation's hospitals (treatment sites), its main hospital first. */
  hospitals: { organisationId: string; hospitals: { id: string; name: string }[] }[];
  categories: { id: string; nameNb: string }[];
  /** Sites of other organisations already on the study: their dates are theirs (read-only here). */
  lockedSites: { key: string; name: string }[];
}

type Defaults = Partial<ReturnType<typeof studyToForm>>;

const FORM_ID = "studie";
const CONTACT_ROLE_LABEL: Record<string, string> = { public: "Kontakt for deltakere", scientific: "Faglig kontakt" };

export function StudyForm({
  csrf,
  options,
  defaultValue,
  lastResult,
  canSubmit,
  submitLabel = "Send til godkjenning",
  saveLabel = "Lagre utkast",
}: {
  csrf: string;
  options: StudyFormOptions;
  defaultValue: Defaults;
  lastResult: SubmissionResult<string[]> | undefined;
  canSubmit: boolean;
  submitLabel?: string;
  saveLabel?: string;
}) {
  const [form, fields] = useForm({
    id: FORM_ID,
    lastResult,
    defaultValue,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseStudyForm(formData),
  });
  const navigation = useNavigation();
  const summaryRef = useRef<HTMLDivElement>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  // The summary lists the problems of the last submit (with links to the fields); it is not
  // rebuilt on every keystroke, so it does not jump while someone fixes the fields one by one.
  const [summary, setSummary] = useState<{ name: string; message: string }[]>(() =>
    summaryOf(lastResult?.status === "error" ? lastResult.error : undefined),
  );
  const [summaryTick, setSummaryTick] = useState(lastResult?.status === "error" ? 1 : 0);
  useEffect(() => {
    if (lastResult?.status === "error") {
      setSummary(summaryOf(lastResult.error));
      setSummaryTick((t) => t + 1);
    }
  }, [lastResult]);
  useEffect(() => {
    if (summaryTick > 0) summaryRef.current?.focus();
  }, [summaryTick]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    form.onSubmit(event);
    // Conform prevents the submit when the browser-side check fails: show and focus the summary.
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    // Conform's own buttons (add/remove a row) are handled in the page, not failed submits.
    if (event.defaultPrevented && submitter?.name !== "__intent__") {
      const checked = parseStudyForm(new FormData(event.currentTarget, submitter));
      setSummary(summaryOf(checked.status === "success" ? undefined : checked.error));
      setSummaryTick((t) => t + 1);
    }
  };

  const identifiers = fields.identifiers.getFieldset();
  const title = fields.title.getFieldset();
  const summaryText = fields.summary.getFieldset();
  const participation = fields.participation.getFieldset();
  const pi = fields.principalInvestigator.getFieldset();
  const eligibility = fields.eligibility.getFieldset();
  const inclusion = eligibility.inclusionCriteria.getFieldset();
  const exclusion = eligibility.exclusionCriteria.getFieldset();
  const sites = fields.sites.getFieldList();
  const contacts = fields.contacts.getFieldList();
  const locked = new Map(options.lockedSites.map((s) => [s.key, s.name]));
  const orgName = new Map(options.organisations.map((o) => [o.id, o.name]));
  const busy = navigation.state !== "idle";

  const addIcd10 = (option: Icd10Option) => {
    const current = String(fields.icd10.value ?? "");
    const codes = splitIcd10(current) as string[];
    if (codes.includes(option.code)) return;
    form.update({ name: fields.icd10.name, value: [...codes, option.code].join(", ") });
  };

  return (
    <Form method="post" {...getFormProps(form)} noValidate onSubmit={onSubmit} aria-describedby="studie-pakrevd">
      <CsrfField token={csrf} />
      {/* Enter in a text field "clicks" the form's first submit button: let that be "Lagre utkast",
          not "Legg til kontakt". */}
      <button type="submit" name="intent" value="draft" className="visually-hidden" tabIndex={-1} aria-hidden="true">
        {saveLabel}
      </button>
      {summary.length ? (
        <div
          className="problem-summary"
          ref={summaryRef}
          tabIndex={-1}
          role="alert"
          aria-labelledby="studie-feil-tittel"
        >
          <h2 id="studie-feil-tittel">
            Studien ble ikke lagret: rett {summary.length === 1 ? "dette" : `disse ${summary.length} feltene`}
          </h2>
          <ul>
            {summary.map((p) => (
              <li key={p.name}>
                <a href={`#${FORM_ID}-${p.name}`}>
                  {fieldLabel(p.name)}: {p.message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {form.errors?.length ? <ErrorList id={form.errorId} errors={form.errors} /> : null}
      <p id="studie-pakrevd" className="hint">
        Et utkast trenger bare en tittel: du kan lagre og fortsette senere. Før studien sendes til godkjenning, må
        feltene merket «påkrevd» og det som står i hjelpeteksten være fylt ut.
      </p>

      <fieldset className="form-section">
        <legend>Ansvar og identifikatorer</legend>
        <FormField field={fields.leadOrganisationId} label="Ansvarlig organisasjon (utført av)" required>
          <select {...getSelectProps(fields.leadOrganisationId)} key={fields.leadOrganisationId.key}>
            {options.leadOrganisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </FormField>
        <FormField
          field={identifiers.rek}
          label="REK-nummer"
          hint="Påkrevd før studien sendes til godkjenning. For eksempel 2019/1234 eller 123456."
        >
          <input {...textInputProps(identifiers.rek)} />
        </FormField>
        <FormField
          field={identifiers.nct}
          label="NCT-nummer (ClinicalTrials.gov)"
          hint="NCT og åtte sifre, for eksempel NCT01234567."
        >
          <input {...textInputProps(identifiers.nct)} />
        </FormField>
        <FormField field={identifiers.euCt} label="EU CT-nummer (CTIS)" hint="For eksempel 2023-501234-12-00.">
          <input {...textInputProps(identifiers.euCt)} />
        </FormField>
        <FormField field={identifiers.eudract} label="EudraCT-nummer" hint="For eksempel 2019-001234-12.">
          <input {...textInputProps(identifiers.eudract)} />
        </FormField>
        <FormField field={identifiers.isrctn} label="ISRCTN-nummer" hint="ISRCTN og åtte sifre.">
          <input {...textInputProps(identifiers.isrctn)} />
        </FormField>
        <FormField
          field={pi.name}
          label="Prosjektleder (navn)"
          hint="Vises for helsepersonell sammen med tittelen, for eksempel «Kari Nordmann, overlege»."
        >
          <input {...textInputProps(pi.name)} />
        </FormField>
        <FormField field={pi.title} label="Prosjektleders tittel">
          <input {...textInputProps(pi.title)} />
        </FormField>
        <ErrorList id={fields.principalInvestigator.errorId} errors={fields.principalInvestigator.errors} />
      </fieldset>

      <fieldset className="form-section">
        <legend>Tittel og sammendrag</legend>
        <FormField field={title.nb} label="Tittel på bokmål" required>
          <input {...textInputProps(title.nb)} />
        </FormField>
        <FormField field={title.nn} label="Tittel på nynorsk">
          <input {...textInputProps(title.nn)} lang="nn" />
        </FormField>
        <FormField field={title.en} label="Tittel på engelsk">
          <input {...textInputProps(title.en)} lang="en" />
        </FormField>
        <FormField
          field={summaryText.nb}
          label="Sammendrag i klarspråk på bokmål"
          hint="Påkrevd før studien sendes til godkjenning. Skriv korte setninger for pasienter."
        >
          <textarea
            {...getTextareaProps(summaryText.nb, { ariaDescribedBy: summaryText.nb.descriptionId })}
            key={summaryText.nb.key}
            rows={5}
          />
        </FormField>
        <FormField field={summaryText.nn} label="Sammendrag på nynorsk">
          <textarea
            {...getTextareaProps(summaryText.nn, { ariaDescribedBy: summaryText.nn.descriptionId })}
            key={summaryText.nn.key}
            rows={4}
            lang="nn"
          />
        </FormField>
        <FormField field={summaryText.en} label="Sammendrag på engelsk">
          <textarea
            {...getTextareaProps(summaryText.en, { ariaDescribedBy: summaryText.en.descriptionId })}
            key={summaryText.en.key}
            rows={4}
            lang="en"
          />
        </FormField>
      </fieldset>

      <fieldset className="form-section">
        <legend>Hva det innebærer å delta</legend>
        <FormField
          field={participation.nb}
          label="Hva det innebærer å delta (bokmål)"
          hint="Vises for pasienter: hvor ofte de møter opp, hva som skjer og hvor lenge. Skriv enkelt."
        >
          <textarea
            {...getTextareaProps(participation.nb, { ariaDescribedBy: participation.nb.descriptionId })}
            key={participation.nb.key}
            rows={4}
          />
        </FormField>
        <FormField field={participation.nn} label="Hva det innebærer å delta (nynorsk)">
          <textarea
            {...getTextareaProps(participation.nn, { ariaDescribedBy: participation.nn.descriptionId })}
            key={participation.nn.key}
            rows={3}
            lang="nn"
          />
        </FormField>
        <FormField field={participation.en} label="Hva det innebærer å delta (engelsk)">
          <textarea
            {...getTextareaProps(participation.en, { ariaDescribedBy: participation.en.descriptionId })}
            key={participation.en.key}
            rows={3}
            lang="en"
          />
        </FormField>
      </fieldset>

      <fieldset className="form-section">
        <legend>Type og kategorier</legend>
        <FormField field={fields.studyType} label="Type studie" hint="Påkrevd før studien sendes til godkjenning.">
          <select
            {...getSelectProps(fields.studyType, { ariaDescribedBy: fields.studyType.descriptionId })}
            key={fields.studyType.key}
          >
            <option value="">Velg type</option>
            {STUDY_TYPES.map((t) => (
              <option key={t} value={t}>
                {STUDY_TYPE_LABEL[t]}
              </option>
            ))}
          </select>
        </FormField>
        <FormField field={fields.phase} label="Fase">
          <select {...getSelectProps(fields.phase)} key={fields.phase.key}>
            <option value="">Ikke oppgitt</option>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {PHASE_LABEL[p]}
              </option>
            ))}
          </select>
        </FormField>
        <fieldset
          className="checkbox-group"
          aria-describedby={fields.categories.errors ? fields.categories.errorId : undefined}
        >
          <legend>Helsekategorier (HRCS)</legend>
          {options.categories.map((c) => {
            const checked = ([] as unknown[]).concat(fields.categories.initialValue ?? []).includes(c.id);
            return (
              <div key={c.id} className="checkbox">
                <input
                  type="checkbox"
                  id={`${FORM_ID}-categories-${c.id}`}
                  name={fields.categories.name}
                  value={c.id}
                  defaultChecked={checked}
                  key={`${fields.categories.key}-${c.id}`}
                />
                <label htmlFor={`${FORM_ID}-categories-${c.id}`}>{c.nameNb}</label>
              </div>
            );
          })}
          <ErrorList id={fields.categories.errorId} errors={fields.categories.errors} />
        </fieldset>
      </fieldset>

      <fieldset className="form-section">
        <legend>Diagnoser</legend>
        {hydrated ? <Icd10Combobox onSelect={addIcd10} describedBy="icd10-sok-hint" /> : null}
        {hydrated ? (
          <p id="icd10-sok-hint" className="hint">
            Velg et forslag for å legge koden til i feltet under.
          </p>
        ) : null}
        <FormField
          field={fields.icd10}
          label="ICD-10-koder"
          hint="Skriv kodene skilt med komma, for eksempel C50, C509."
        >
          <input {...textInputProps(fields.icd10)} />
        </FormField>
      </fieldset>

      <fieldset className="form-section">
        <legend>Hvem kan delta</legend>
        <FormField field={eligibility.minAgeYears} label="Minste alder (år)">
          <input
            {...getInputProps(eligibility.minAgeYears, {
              type: "text",
              ariaDescribedBy: eligibility.minAgeYears.descriptionId,
            })}
            key={eligibility.minAgeYears.key}
            inputMode="numeric"
          />
        </FormField>
        <FormField field={eligibility.maxAgeYears} label="Høyeste alder (år)">
          <input
            {...getInputProps(eligibility.maxAgeYears, {
              type: "text",
              ariaDescribedBy: eligibility.maxAgeYears.descriptionId,
            })}
            key={eligibility.maxAgeYears.key}
            inputMode="numeric"
          />
        </FormField>
        <FormField field={eligibility.sex} label="Kjønn">
          <select {...getSelectProps(eligibility.sex)} key={eligibility.sex.key}>
            {SEXES.map((s) => (
              <option key={s} value={s}>
                {SEX_LABEL[s]}
              </option>
            ))}
          </select>
        </FormField>
        <div className="checkbox">
          <input
            {...getInputProps(eligibility.healthyVolunteers, { type: "checkbox" })}
            key={eligibility.healthyVolunteers.key}
          />
          <label htmlFor={eligibility.healthyVolunteers.id}>Friske frivillige kan delta</label>
        </div>
        <FormField field={inclusion.nb} label="Inklusjonskriterier (bokmål)" hint="Ett kriterium per linje.">
          <textarea
            {...getTextareaProps(inclusion.nb, { ariaDescribedBy: inclusion.nb.descriptionId })}
            key={inclusion.nb.key}
            rows={4}
          />
        </FormField>
        <FormField field={inclusion.en} label="Inklusjonskriterier (engelsk)">
          <textarea
            {...getTextareaProps(inclusion.en, { ariaDescribedBy: inclusion.en.descriptionId })}
            key={inclusion.en.key}
            rows={3}
            lang="en"
          />
        </FormField>
        <FormField field={exclusion.nb} label="Eksklusjonskriterier (bokmål)" hint="Ett kriterium per linje.">
          <textarea
            {...getTextareaProps(exclusion.nb, { ariaDescribedBy: exclusion.nb.descriptionId })}
            key={exclusion.nb.key}
            rows={4}
          />
        </FormField>
        <FormField field={exclusion.en} label="Eksklusjonskriterier (engelsk)">
          <textarea
            {...getTextareaProps(exclusion.en, { ariaDescribedBy: exclusion.en.descriptionId })}
            key={exclusion.en.key}
            rows={3}
            lang="en"
          />
        </FormField>
      </fieldset>

      <fieldset className="form-section">
        <legend>Kontakter</legend>
        {contacts.length === 0 ? <p className="hint">Ingen kontakter ennå.</p> : null}
        {contacts.map((contact, index) => {
          const c = contact.getFieldset();
          return (
            <fieldset key={contact.key} id={contact.id} className="form-row">
              <legend>Kontakt {index + 1}</legend>
              <FormField field={c.name} label="Navn" required>
                <input {...textInputProps(c.name)} />
              </FormField>
              <FormField field={c.email} label="E-post" hint="E-post eller telefon må fylles ut.">
                <input
                  {...getInputProps(c.email, { type: "email", ariaDescribedBy: c.email.descriptionId })}
                  key={c.email.key}
                />
              </FormField>
              <FormField field={c.phone} label="Telefon">
                <input
                  {...getInputProps(c.phone, { type: "tel", ariaDescribedBy: c.phone.descriptionId })}
                  key={c.phone.key}
                />
              </FormField>
              <FormField field={c.role} label="Rolle">
                <select {...getSelectProps(c.role)} key={c.role.key}>
                  {CONTACT_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {CONTACT_ROLE_LABEL[r]}
                    </option>
                  ))}
                </select>
              </FormField>
              <ErrorList id={contact.errorId} errors={contact.errors} />
              <button className="secondary" {...form.remove.getButtonProps({ name: fields.contacts.name, index })}>
                Fjern kontakt {index + 1}
              </button>
            </fieldset>
          );
        })}
        <button
          className="secondary"
          {...form.insert.getButtonProps({ name: fields.contacts.name, defaultValue: { role: "public" } })}
        >
          Legg til kontakt
        </button>
      </fieldset>

      <fieldset
        className="form-section"
        id={fields.sites.id}
        tabIndex={-1}
        aria-describedby={fields.sites.errors ? fields.sites.errorId : undefined}
      >
        <legend>Studiesteder og inklusjonsperiode</legend>
        <p className="hint">
          Ett studiested per organisasjon og sykehus. Hver organisasjon eier datoene for sitt eget studiested.
        </p>
        <ErrorList id={fields.sites.errorId} errors={fields.sites.errors} />
        {sites.map((site, index) => {
          const s = site.getFieldset();
          const value = (site.initialValue ?? {}) as { organisationId?: string; hospitalId?: string };
          const key = `${value.organisationId ?? ""}/${value.hospitalId ?? ""}`;
          const lockedName = locked.get(key);
          return (
            <fieldset key={site.key} id={site.id} className="form-row">
              <legend>
                Studiested {index + 1}
                {lockedName ? `: ${lockedName}` : ""}
              </legend>
              {lockedName ? (
                <>
                  <input type="hidden" name={s.hospitalId.name} value={value.hospitalId ?? ""} />
                  <input type="hidden" name={s.organisationId.name} value={value.organisationId} />
                  <input
                    type="hidden"
                    name={s.inclusionStart.name}
                    value={String(s.inclusionStart.initialValue ?? "")}
                  />
                  <input type="hidden" name={s.inclusionEnd.name} value={String(s.inclusionEnd.initialValue ?? "")} />
                  <p>
                    {`Inklusjon ${String(s.inclusionStart.initialValue || "–")} til ${String(s.inclusionEnd.initialValue || "–")}. Datoene eies av ${
                      orgName.get(value.organisationId ?? "") ?? value.organisationId
                    } og endres der.`}
                  </p>
                </>
              ) : (
                <>
                  <FormField field={s.organisationId} label="Organisasjon" required>
                    <select {...getSelectProps(s.organisationId)} key={s.organisationId.key}>
                      <option value="">Velg organisasjon</option>
                      {options.organisations.map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.name}
                        </option>
                      ))}
                    </select>
                  </FormField>
                  <FormField
                    field={s.hospitalId}
                    label="Sykehus (behandlingssted)"
                    hint="Der deltakerne møter opp. Velger du ikke, vises organisasjonens hovedsykehus, og det står at studiestedet ikke er oppgitt."
                  >
                    <select
                      {...getSelectProps(s.hospitalId, { ariaDescribedBy: s.hospitalId.descriptionId })}
                      key={s.hospitalId.key}
                    >
                      <option value="">Ikke valgt (hovedsykehuset brukes)</option>
                      {options.hospitals.map((group) => (
                        <optgroup
                          key={group.organisationId}
                          label={orgName.get(group.organisationId) ?? group.organisationId}
                        >
                          {group.hospitals.map((h) => (
                            <option key={h.id} value={h.id}>
                              {h.name}
                            </option>
                          ))}
                        </optgroup>
                      ))}
                    </select>
                  </FormField>
                  <FormField field={s.inclusionStart} label="Inklusjonsstart">
                    <input
                      {...getInputProps(s.inclusionStart, {
                        type: "date",
                        ariaDescribedBy: s.inclusionStart.descriptionId,
                      })}
                      key={s.inclusionStart.key}
                    />
                  </FormField>
                  <FormField field={s.inclusionEnd} label="Inklusjonsslutt" hint="Siste dag med inklusjon.">
                    <input
                      {...getInputProps(s.inclusionEnd, {
                        type: "date",
                        ariaDescribedBy: s.inclusionEnd.descriptionId,
                      })}
                      key={s.inclusionEnd.key}
                    />
                  </FormField>
                  <SiteContactFields site={s} />
                  <FormField
                    field={s.referral}
                    label="Henvisning"
                    hint="Hvordan helsepersonell henviser pasienter hit, for eksempel «Henvisning via DIPS til Kreftpoliklinikken»."
                  >
                    <textarea
                      {...getTextareaProps(s.referral, { ariaDescribedBy: s.referral.descriptionId })}
                      key={s.referral.key}
                      rows={2}
                    />
                  </FormField>
                  <ErrorList id={site.errorId} errors={site.errors} />
                  {sites.length > 1 ? (
                    <button className="secondary" {...form.remove.getButtonProps({ name: fields.sites.name, index })}>
                      Fjern studiested {index + 1}
                    </button>
                  ) : null}
                </>
              )}
            </fieldset>
          );
        })}
        <button className="secondary" {...form.insert.getButtonProps({ name: fields.sites.name })}>
          Legg til studiested
        </button>
      </fieldset>

      <p className="form-actions">
        <button type="submit" name="intent" value="draft" disabled={busy}>
          {saveLabel}
        </button>{" "}
        {canSubmit ? (
          <button type="submit" name="intent" value="submit" disabled={busy}>
            {submitLabel}
          </button>
        ) : null}
      </p>
    </Form>
  );
}

/** A site's contact (name, phone, e-mail) as the public pages show it; all empty is no contact. */
function SiteContactFields({
  site,
}: {
  site: ReturnType<ReturnType<ReturnType<typeof useForm<Defaults>>[1]["sites"]["getFieldList"]>[number]["getFieldset"]>;
}) {
  const contact = site.contact.getFieldset();
  return (
    <fieldset className="form-subgroup">
      <legend>Kontakt ved studiestedet</legend>
      <p className="hint" id={site.contact.descriptionId}>
        Vises på studiesiden. La feltene stå tomme hvis studiestedet ikke har egen kontakt.
      </p>
      <FormField field={contact.name} label="Navn">
        <input {...textInputProps(contact.name)} />
      </FormField>
      <FormField field={contact.phone} label="Telefon">
        <input
          {...getInputProps(contact.phone, { type: "tel", ariaDescribedBy: contact.phone.descriptionId })}
          key={contact.phone.key}
        />
      </FormField>
      <FormField field={contact.email} label="E-post" hint="E-post eller telefon må fylles ut.">
        <input
          {...getInputProps(contact.email, { type: "email", ariaDescribedBy: contact.email.descriptionId })}
          key={contact.email.key}
        />
      </FormField>
      <ErrorList id={site.contact.errorId} errors={site.contact.errors} />
    </fieldset>
  );
}

function summaryOf(error: Record<string, string[] | null> | undefined | null): { name: string; message: string }[] {
  return Object.entries(error ?? {})
    .filter(([, messages]) => messages && messages.length)
    .map(([name, messages]) => ({ name: name || "studie", message: messages!.join(" ") }));
}
