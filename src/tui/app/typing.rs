//! Typing: filters, prompts and form fields.

use super::text;
use super::*;

impl App {
    /// Typed or pasted text, at the cursor of the prompt, the form's text
    /// field or the filter.
    pub(super) fn type_text(&mut self, text: &str) {
        match &mut self.overlay {
            Some(Overlay::Prompt(p)) => {
                text::insert(&mut p.input, &mut p.cursor, text);
                p.error = None;
            }
            Some(Overlay::Form(form)) => {
                if let Some(f) = form.fields.get_mut(form.focus)
                    && f.choices.is_none()
                {
                    text::insert(&mut f.value, &mut f.cursor, text);
                }
                let cas = self.ca_names();
                if let Some(Overlay::Form(form)) = &mut self.overlay {
                    form.validate(&cas);
                }
            }
            None if self.filtering => {
                self.edit_filter(|f, cursor| text::insert(f, cursor, text));
            }
            _ => {}
        }
    }

    /// Changes the current list's filter: the selection goes back to the
    /// first match, at the top.
    pub(super) fn edit_filter(&mut self, edit: impl FnOnce(&mut String, &mut usize)) {
        if let Some(list) = self.list_mut() {
            edit(&mut list.filter, &mut list.cursor);
            list.selected = 0;
            list.offset = 0;
        }
        self.detail_scroll = 0;
        self.refilter_current();
    }

    pub(super) fn typing(&mut self, cmd: Cmd) -> Vec<Effect> {
        if self.overlay.is_none() && self.filtering {
            match cmd {
                Cmd::Submit => self.filtering = false,
                Cmd::Cancel => {
                    self.filtering = false;
                    self.edit_filter(|f, c| {
                        f.clear();
                        *c = 0;
                    });
                }
                Cmd::DeleteChar | Cmd::DeleteForward | Cmd::DeleteWord => {
                    self.edit_filter(|f, c| {
                        text::edit(f, c, cmd);
                    });
                }
                other => {
                    // Cursor moves change nothing the filter matches.
                    if let Some(list) = self.list_mut() {
                        text::edit(&mut list.filter, &mut list.cursor, other);
                    }
                }
            }
            return Vec::new();
        }
        let cas = self.ca_names();
        match &mut self.overlay {
            Some(Overlay::Prompt(prompt)) => match cmd {
                Cmd::Cancel => {
                    self.overlay = None;
                    Vec::new()
                }
                Cmd::Submit => self.submit_prompt(),
                other => {
                    if text::edit(&mut prompt.input, &mut prompt.cursor, other) {
                        prompt.error = None;
                    }
                    Vec::new()
                }
            },
            Some(Overlay::Form(form)) => match cmd {
                Cmd::Cancel => {
                    self.overlay = None;
                    Vec::new()
                }
                Cmd::NextField => {
                    form.focus = (form.focus + 1) % form.fields.len().max(1);
                    Vec::new()
                }
                Cmd::PrevField => {
                    form.focus = form
                        .focus
                        .checked_sub(1)
                        .unwrap_or(form.fields.len().saturating_sub(1));
                    Vec::new()
                }
                Cmd::ChoiceNext | Cmd::ChoicePrev
                    if form
                        .fields
                        .get(form.focus)
                        .is_some_and(|f| f.choices.is_some()) =>
                {
                    if let Some(f) = form.fields.get_mut(form.focus)
                        && let Some(choices) = f.choices
                    {
                        let at = choices.iter().position(|c| *c == f.value).unwrap_or(0);
                        let n = choices.len();
                        let next = if cmd == Cmd::ChoiceNext {
                            (at + 1) % n
                        } else {
                            (at + n - 1) % n
                        };
                        f.value = choices.get(next).copied().unwrap_or_default().to_owned();
                    }
                    Vec::new()
                }
                Cmd::DeleteChar
                | Cmd::DeleteForward
                | Cmd::DeleteWord
                | Cmd::ChoiceNext
                | Cmd::ChoicePrev
                | Cmd::LineStart
                | Cmd::LineEnd => {
                    if let Some(f) = form.fields.get_mut(form.focus)
                        && f.choices.is_none()
                    {
                        text::edit(&mut f.value, &mut f.cursor, cmd);
                    }
                    form.validate(&cas);
                    Vec::new()
                }
                Cmd::Submit => {
                    form.validate(&cas);
                    if !form.is_valid() {
                        if let Some(bad) = form.fields.iter().position(|f| f.error.is_some()) {
                            form.focus = bad;
                        }
                        return Vec::new();
                    }
                    form.error = None;
                    let form = form.clone();
                    // Kept until the job answers, to come back with its
                    // input if it fails.
                    self.pending_form = Some(form.clone());
                    self.overlay = None;
                    self.busy += 1;
                    let label = form.kind.working();
                    let effect = match form.kind {
                        FormKind::Ca => Effect::CreateCa(form),
                        FormKind::Cert => Effect::IssueCert(form),
                        FormKind::Sign => Effect::SignCsr(form),
                        FormKind::Import => Effect::ImportCa(form),
                        FormKind::P12 => Effect::WriteP12(form),
                        FormKind::Replace => {
                            self.pending_form = None;
                            self.busy -= 1;
                            return self.rehearse(form.value("Replace"));
                        }
                    };
                    self.status(label, Tone::Dim);
                    vec![effect]
                }
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    pub(super) fn submit_prompt(&mut self) -> Vec<Effect> {
        let Some(Overlay::Prompt(prompt)) = self.overlay.clone() else {
            return Vec::new();
        };
        let paths: Vec<PathBuf> = prompt.input.split_whitespace().map(PathBuf::from).collect();
        if paths.is_empty() {
            if let Some(Overlay::Prompt(p)) = &mut self.overlay {
                p.error = Some("type a path".to_owned());
            }
            return Vec::new();
        }
        match prompt.purpose {
            PromptFor::AddToBundle(index) => {
                let Some(f) = self.files.get(index) else {
                    return Vec::new();
                };
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                self.overlay = Some(Overlay::Confirm {
                    question: format!(
                        "Add the certificates of {} to {}?",
                        names.join(", "),
                        f.path.display()
                    ),
                    effect: Effect::AddToBundle {
                        index,
                        bundle: f.path.clone(),
                        inputs: paths,
                    },
                });
                Vec::new()
            }
            PromptFor::WritePins => {
                self.overlay = None;
                self.busy += 1;
                vec![Effect::WritePins {
                    path: paths.into_iter().next().unwrap_or_default(),
                    text: self.pins_text.clone(),
                    replace: false,
                }]
            }
        }
    }
}
