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
import { splitIcd10, type studyToForm } from "#app/domain/study-form";
import { parseStudyForm } from "#app/forms/study-form";
import { fieldLabel } from "#app/forms/field-label";
import type { MessageKey } from "#app/i18n/messages/nb";
import { useTranslator } from "#app/i18n/use-translator";
import { CONTACT_ROLES, PHASES, SEXES, STUDY_TYPES } from "#app/domain/study";
import { CsrfField } from "./SignedIn";
import { ErrorList, FormField, textInputProps } from "./forms";
import { Icd10Combobox, type Icd10Option } from "./Icd10Combobox";

export interface StudyFormOptions {
  leadOrganisations: { id: string; name: string }[];
  organisations: { id: string; name: string }[];
  /** Each organisation's hospitals (treatment sites), its main hospital first. */
  hospitals: { organisationId: string; hospitals: { id: string; name: string }[] }[];
  /** Health categories, named in the page's language. */
  categories: { id: string; name: string }[];
  /** Sites of other organisations already on the study: their dates are theirs (read-only here). */
  lockedSites: { key: string; name: string }[];
}

type Defaults = Partial<ReturnType<typeof studyToForm>>;

const FORM_ID = "studie";

export function StudyForm({
  csrf,
  options,
  defaultValue,
  lastResult,
  canSubmit,
  submitLabel,
  saveLabel,
}: {
  csrf: string;
  options: StudyFormOptions;
  defaultValue: Defaults;
  lastResult: SubmissionResult<string[]> | undefined;
  canSubmit: boolean;
  submitLabel?: string;
  saveLabel?: string;
}) {
  const tr = useTranslator();
  const { t } = tr;
  const req = t("form.required");
  submitLabel ??= t("form.send");
  saveLabel ??= t("form.saveDraft");
  const [form, fields] = useForm({
    id: FORM_ID,
    lastResult,
    defaultValue,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseStudyForm(formData, tr),
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
      const checked = parseStudyForm(new FormData(event.currentTarget, submitter), tr);
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
            {summary.length === 1 ? t("form.summary.one") : t("form.summary.other", { count: summary.length })}
          </h2>
          <ul>
            {summary.map((p) => (
              <li key={p.name}>
                <a href={`#${FORM_ID}-${p.name}`}>
                  {fieldLabel(p.name, tr)}: {p.message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {form.errors?.length ? <ErrorList id={form.errorId} errors={form.errors} /> : null}
      <p id="studie-pakrevd" className="hint">
        {t("form.intro")}
      </p>

      <fieldset className="form-section">
        <legend>{t("form.section.responsibility")}</legend>
        <FormField field={fields.leadOrganisationId} label={t("form.lead")} required requiredText={req}>
          <select {...getSelectProps(fields.leadOrganisationId)} key={fields.leadOrganisationId.key}>
            {options.leadOrganisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </FormField>
        <FormField field={identifiers.rek} label={t("form.label.rek")} hint={t("form.rek.hint")}>
          <input {...textInputProps(identifiers.rek)} />
        </FormField>
        <FormField field={identifiers.nct} label={t("form.nct")} hint={t("form.nct.hint")}>
          <input {...textInputProps(identifiers.nct)} />
        </FormField>
        <FormField field={identifiers.euCt} label={t("form.euCt")} hint={t("form.euCt.hint")}>
          <input {...textInputProps(identifiers.euCt)} />
        </FormField>
        <FormField field={identifiers.eudract} label={t("form.label.eudract")} hint={t("form.eudract.hint")}>
          <input {...textInputProps(identifiers.eudract)} />
        </FormField>
        <FormField field={identifiers.isrctn} label={t("form.label.isrctn")} hint={t("form.isrctn.hint")}>
          <input {...textInputProps(identifiers.isrctn)} />
        </FormField>
        <FormField field={pi.name} label={t("form.pi.name")} hint={t("form.pi.name.hint")}>
          <input {...textInputProps(pi.name)} />
        </FormField>
        <FormField field={pi.title} label={t("form.pi.title")}>
          <input {...textInputProps(pi.title)} />
        </FormField>
        <ErrorList id={fields.principalInvestigator.errorId} errors={fields.principalInvestigator.errors} />
      </fieldset>

      <fieldset className="form-section">
        <legend>{t("form.section.title")}</legend>
        <FormField field={title.nb} label={t("form.label.title.nb")} required requiredText={req}>
          <input {...textInputProps(title.nb)} />
        </FormField>
        <FormField field={title.nn} label={t("form.label.title.nn")}>
          <input {...textInputProps(title.nn)} lang="nn" />
        </FormField>
        <FormField field={title.en} label={t("form.label.title.en")}>
          <input {...textInputProps(title.en)} lang="en" />
        </FormField>
        <FormField field={summaryText.nb} label={t("form.summary.nb")} hint={t("form.summary.nb.hint")}>
          <textarea
            {...getTextareaProps(summaryText.nb, { ariaDescribedBy: summaryText.nb.descriptionId })}
            key={summaryText.nb.key}
            rows={5}
          />
        </FormField>
        <FormField field={summaryText.nn} label={t("form.label.summary.nn")}>
          <textarea
            {...getTextareaProps(summaryText.nn, { ariaDescribedBy: summaryText.nn.descriptionId })}
            key={summaryText.nn.key}
            rows={4}
            lang="nn"
          />
        </FormField>
        <FormField field={summaryText.en} label={t("form.label.summary.en")}>
          <textarea
            {...getTextareaProps(summaryText.en, { ariaDescribedBy: summaryText.en.descriptionId })}
            key={summaryText.en.key}
            rows={4}
            lang="en"
          />
        </FormField>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t("form.section.participation")}</legend>
        <FormField
          field={participation.nb}
          label={t("form.label.participation.nb")}
          hint={t("form.participation.hint")}
        >
          <textarea
            {...getTextareaProps(participation.nb, { ariaDescribedBy: participation.nb.descriptionId })}
            key={participation.nb.key}
            rows={4}
          />
        </FormField>
        <FormField field={participation.nn} label={t("form.label.participation.nn")}>
          <textarea
            {...getTextareaProps(participation.nn, { ariaDescribedBy: participation.nn.descriptionId })}
            key={participation.nn.key}
            rows={3}
            lang="nn"
          />
        </FormField>
        <FormField field={participation.en} label={t("form.label.participation.en")}>
          <textarea
            {...getTextareaProps(participation.en, { ariaDescribedBy: participation.en.descriptionId })}
            key={participation.en.key}
            rows={3}
            lang="en"
          />
        </FormField>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t("form.section.type")}</legend>
        <FormField field={fields.studyType} label={t("form.label.studyType")} hint={t("form.studyType.hint")}>
          <select
            {...getSelectProps(fields.studyType, { ariaDescribedBy: fields.studyType.descriptionId })}
            key={fields.studyType.key}
          >
            <option value="">{t("form.studyType.choose")}</option>
            {STUDY_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`type.${type}`)}
              </option>
            ))}
          </select>
        </FormField>
        <FormField field={fields.phase} label={t("form.label.phase")}>
          <select {...getSelectProps(fields.phase)} key={fields.phase.key}>
            <option value="">{t("form.phase.none")}</option>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {t(`phase.${p}`)}
              </option>
            ))}
          </select>
        </FormField>
        <fieldset
          className="checkbox-group"
          aria-describedby={fields.categories.errors ? fields.categories.errorId : undefined}
        >
          <legend>{t("form.categories")}</legend>
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
                <label htmlFor={`${FORM_ID}-categories-${c.id}`}>{c.name}</label>
              </div>
            );
          })}
          <ErrorList id={fields.categories.errorId} errors={fields.categories.errors} />
        </fieldset>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t("form.section.diagnoses")}</legend>
        {hydrated ? <Icd10Combobox onSelect={addIcd10} describedBy="icd10-sok-hint" /> : null}
        {hydrated ? (
          <p id="icd10-sok-hint" className="hint">
            {t("form.icd10.searchHint")}
          </p>
        ) : null}
        <FormField field={fields.icd10} label={t("form.label.icd10")} hint={t("form.icd10.hint")}>
          <input {...textInputProps(fields.icd10)} />
        </FormField>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t("form.section.eligibility")}</legend>
        <FormField field={eligibility.minAgeYears} label={t("form.minAge")}>
          <input
            {...getInputProps(eligibility.minAgeYears, {
              type: "text",
              ariaDescribedBy: eligibility.minAgeYears.descriptionId,
            })}
            key={eligibility.minAgeYears.key}
            inputMode="numeric"
          />
        </FormField>
        <FormField field={eligibility.maxAgeYears} label={t("form.maxAge")}>
          <input
            {...getInputProps(eligibility.maxAgeYears, {
              type: "text",
              ariaDescribedBy: eligibility.maxAgeYears.descriptionId,
            })}
            key={eligibility.maxAgeYears.key}
            inputMode="numeric"
          />
        </FormField>
        <FormField field={eligibility.sex} label={t("form.label.sex")}>
          <select {...getSelectProps(eligibility.sex)} key={eligibility.sex.key}>
            {SEXES.map((s) => (
              <option key={s} value={s}>
                {t(`sex.${s}`)}
              </option>
            ))}
          </select>
        </FormField>
        <div className="checkbox">
          <input
            {...getInputProps(eligibility.healthyVolunteers, { type: "checkbox" })}
            key={eligibility.healthyVolunteers.key}
          />
          <label htmlFor={eligibility.healthyVolunteers.id}>{t("form.healthyVolunteers")}</label>
        </div>
        <FormField field={inclusion.nb} label={t("form.label.inclusion.nb")} hint={t("form.criteria.hint")}>
          <textarea
            {...getTextareaProps(inclusion.nb, { ariaDescribedBy: inclusion.nb.descriptionId })}
            key={inclusion.nb.key}
            rows={4}
          />
        </FormField>
        <FormField field={inclusion.en} label={t("form.label.inclusion.en")}>
          <textarea
            {...getTextareaProps(inclusion.en, { ariaDescribedBy: inclusion.en.descriptionId })}
            key={inclusion.en.key}
            rows={3}
            lang="en"
          />
        </FormField>
        <FormField field={exclusion.nb} label={t("form.label.exclusion.nb")} hint={t("form.criteria.hint")}>
          <textarea
            {...getTextareaProps(exclusion.nb, { ariaDescribedBy: exclusion.nb.descriptionId })}
            key={exclusion.nb.key}
            rows={4}
          />
        </FormField>
        <FormField field={exclusion.en} label={t("form.label.exclusion.en")}>
          <textarea
            {...getTextareaProps(exclusion.en, { ariaDescribedBy: exclusion.en.descriptionId })}
            key={exclusion.en.key}
            rows={3}
            lang="en"
          />
        </FormField>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t("form.section.contacts")}</legend>
        {contacts.length === 0 ? <p className="hint">{t("form.contacts.none")}</p> : null}
        {contacts.map((contact, index) => {
          const c = contact.getFieldset();
          return (
            <fieldset key={contact.key} id={contact.id} className="form-row">
              <legend>{t("form.contact", { n: index + 1 })}</legend>
              <FormField field={c.name} label={t("form.contact.name")} required requiredText={req}>
                <input {...textInputProps(c.name)} />
              </FormField>
              <FormField field={c.email} label={t("form.contact.email")} hint={t("form.contact.emailHint")}>
                <input
                  {...getInputProps(c.email, { type: "email", ariaDescribedBy: c.email.descriptionId })}
                  key={c.email.key}
                />
              </FormField>
              <FormField field={c.phone} label={t("form.contact.phone")}>
                <input
                  {...getInputProps(c.phone, { type: "tel", ariaDescribedBy: c.phone.descriptionId })}
                  key={c.phone.key}
                />
              </FormField>
              <FormField field={c.role} label={t("form.contact.role")}>
                <select {...getSelectProps(c.role)} key={c.role.key}>
                  {CONTACT_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`form.contact.role.${r}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </FormField>
              <ErrorList id={contact.errorId} errors={contact.errors} />
              <button className="secondary" {...form.remove.getButtonProps({ name: fields.contacts.name, index })}>
                {t("form.contact.remove", { n: index + 1 })}
              </button>
            </fieldset>
          );
        })}
        <button
          className="secondary"
          {...form.insert.getButtonProps({ name: fields.contacts.name, defaultValue: { role: "public" } })}
        >
          {t("form.contact.add")}
        </button>
      </fieldset>

      <fieldset
        className="form-section"
        id={fields.sites.id}
        tabIndex={-1}
        aria-describedby={fields.sites.errors ? fields.sites.errorId : undefined}
      >
        <legend>{t("form.section.sites")}</legend>
        <p className="hint">{t("form.sites.hint")}</p>
        <ErrorList id={fields.sites.errorId} errors={fields.sites.errors} />
        {sites.map((site, index) => {
          const s = site.getFieldset();
          const value = (site.initialValue ?? {}) as { organisationId?: string; hospitalId?: string };
          const key = `${value.organisationId ?? ""}/${value.hospitalId ?? ""}`;
          const lockedName = locked.get(key);
          return (
            <fieldset key={site.key} id={site.id} className="form-row">
              <legend>
                {lockedName
                  ? t("form.site.locked", { n: index + 1, name: lockedName })
                  : t("form.site", { n: index + 1 })}
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
                    {t("form.site.lockedText", {
                      start: String(s.inclusionStart.initialValue || "–"),
                      end: String(s.inclusionEnd.initialValue || "–"),
                      organisation: orgName.get(value.organisationId ?? "") ?? value.organisationId ?? "",
                    })}
                  </p>
                </>
              ) : (
                <>
                  <FormField field={s.organisationId} label={t("form.site.organisation")} required requiredText={req}>
                    <select {...getSelectProps(s.organisationId)} key={s.organisationId.key}>
                      <option value="">{t("form.site.organisation.choose")}</option>
                      {options.organisations.map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.name}
                        </option>
                      ))}
                    </select>
                  </FormField>
                  <FormField field={s.hospitalId} label={t("form.site.hospital")} hint={t("form.site.hospital.hint")}>
                    <select
                      {...getSelectProps(s.hospitalId, { ariaDescribedBy: s.hospitalId.descriptionId })}
                      key={s.hospitalId.key}
                    >
                      <option value="">{t("form.site.hospital.none")}</option>
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
                  <FormField field={s.inclusionStart} label={t("study.sites.start")}>
                    <input
                      {...getInputProps(s.inclusionStart, {
                        type: "date",
                        ariaDescribedBy: s.inclusionStart.descriptionId,
                      })}
                      key={s.inclusionStart.key}
                    />
                  </FormField>
                  <FormField field={s.inclusionEnd} label={t("study.sites.end")} hint={t("form.site.end.hint")}>
                    <input
                      {...getInputProps(s.inclusionEnd, {
                        type: "date",
                        ariaDescribedBy: s.inclusionEnd.descriptionId,
                      })}
                      key={s.inclusionEnd.key}
                    />
                  </FormField>
                  <SiteContactFields site={s} />
                  <FormField field={s.referral} label={t("form.site.referral")} hint={t("form.site.referral.hint")}>
                    <textarea
                      {...getTextareaProps(s.referral, { ariaDescribedBy: s.referral.descriptionId })}
                      key={s.referral.key}
                      rows={2}
                    />
                  </FormField>
                  <ErrorList id={site.errorId} errors={site.errors} />
                  {sites.length > 1 ? (
                    <button className="secondary" {...form.remove.getButtonProps({ name: fields.sites.name, index })}>
                      {t("form.site.remove", { n: index + 1 })}
                    </button>
                  ) : null}
                </>
              )}
            </fieldset>
          );
        })}
        <button className="secondary" {...form.insert.getButtonProps({ name: fields.sites.name })}>
          {t("form.site.add")}
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
  const { t } = useTranslator();
  return (
    <fieldset className="form-subgroup">
      <legend>{t("form.site.contact")}</legend>
      <p className="hint" id={site.contact.descriptionId}>
        {t("form.site.contact.hint")}
      </p>
      <FormField field={contact.name} label={t("form.contact.name")}>
        <input {...textInputProps(contact.name)} />
      </FormField>
      <FormField field={contact.phone} label={t("form.contact.phone")}>
        <input
          {...getInputProps(contact.phone, { type: "tel", ariaDescribedBy: contact.phone.descriptionId })}
          key={contact.phone.key}
        />
      </FormField>
      <FormField field={contact.email} label={t("form.contact.email")} hint={t("form.contact.emailHint")}>
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
