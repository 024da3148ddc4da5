//! Finished jobs: rows arrive, writes report, and what they changed reloads.

use super::*;

impl App {
    pub(super) fn reload(&mut self) -> Vec<Effect> {
        self.busy += 1;
        match self.current_tab() {
            Tab::Store | Tab::Pins => vec![Effect::LoadStore],
            Tab::File(index) => match self.files.get(index) {
                Some(f) => vec![Effect::LoadFile {
                    index,
                    path: f.path.clone(),
                }],
                None => {
                    self.busy -= 1;
                    Vec::new()
                }
            },
            Tab::Fleet => match &self.fleet {
                Some(f) => vec![Effect::LoadFleet {
                    configs: f.configs.clone(),
                    replace: f.replace.clone(),
                    options: f.options.clone(),
                }],
                None => {
                    self.busy -= 1;
                    Vec::new()
                }
            },
            Tab::Diff => match &self.diff {
                Some(d) => vec![Effect::LoadDiff {
                    old: d.old.clone(),
                    new: d.new.clone(),
                    peers: d.peer_files.clone(),
                }],
                None => {
                    self.busy -= 1;
                    Vec::new()
                }
            },
        }
    }

    pub(super) fn job_done(&mut self, result: JobResult) -> Vec<Effect> {
        self.busy = self.busy.saturating_sub(1);
        match result {
            JobResult::Store(r) => match r {
                Ok(snap) => {
                    self.store.error = None;
                    self.store.cas.refilter(ca_searches(&snap));
                    self.store.issued.refilter(issued_searches(&snap));
                    self.store.snapshot = Some(snap);
                }
                Err(e) => {
                    self.status(e.clone(), Tone::Bad);
                    self.store.snapshot = None;
                    self.store.error = Some(e);
                }
            },
            JobResult::File { index, result } => {
                if let Some(f) = self.files.get_mut(index) {
                    match result {
                        Ok(loaded) => {
                            f.error = None;
                            f.list.refilter(
                                loaded
                                    .rows
                                    .iter()
                                    .map(|r| (r.search.as_str(), r.keys.as_str())),
                            );
                            f.loaded = Some(loaded);
                        }
                        // What was shown is no longer what the file
                        // holds: show why instead.
                        Err(e) => {
                            f.loaded = None;
                            f.error = Some(e.clone());
                            self.status(e, Tone::Bad);
                        }
                    }
                }
            }
            JobResult::Diff(r) => {
                if let Some(d) = self.diff.as_mut() {
                    match r {
                        Ok(parts) => {
                            d.error = None;
                            let (changes, peers) = diff_searches(&parts);
                            d.changes.refilter(pairs(&changes));
                            d.peers.refilter(pairs(&peers));
                            if !parts.peers.is_empty() {
                                d.pane = DiffPane::Peers;
                            }
                            d.parts = Some(parts);
                        }
                        Err(e) => {
                            d.parts = None;
                            d.error = Some(e.clone());
                            self.status(e, Tone::Bad);
                        }
                    }
                }
            }
            JobResult::Fleet(r) => self.fleet_done(r),
            JobResult::Confirm { question, effect } => {
                // The question replaces the "checking..." of its job.
                self.status = None;
                self.overlay = Some(Overlay::Confirm { question, effect });
            }
            JobResult::Done {
                result,
                warnings,
                reload,
            } => {
                let form = self.pending_form.take();
                match result {
                    Ok(message) if warnings.is_empty() => self.status(message, Tone::Good),
                    Ok(message) => {
                        let text = std::iter::once(message)
                            .chain(warnings.iter().map(|w| format!("warning: {w}")))
                            .collect::<Vec<_>>()
                            .join("; ");
                        self.status(text, Tone::Warn);
                    }
                    // A form comes back with what was typed and why it
                    // failed, unless something else has the screen.
                    Err(message) => match form {
                        Some(mut form) if self.overlay.is_none() => {
                            // The form says why; "creating..." is over.
                            self.status = None;
                            form.error = Some(message);
                            self.overlay = Some(Overlay::Form(form));
                        }
                        _ => self.status(message, Tone::Bad),
                    },
                }
                return self.reload_after(reload);
            }
        }
        Vec::new()
    }

    /// Effects to run after a write: reloads of what it changed.
    pub(super) fn reload_after(&mut self, reload: Reload) -> Vec<Effect> {
        match reload {
            Reload::Nothing => Vec::new(),
            Reload::Store => {
                self.busy += 1;
                vec![Effect::LoadStore]
            }
            Reload::File(index) => match self.files.get(index) {
                Some(f) => {
                    self.busy += 1;
                    vec![Effect::LoadFile {
                        index,
                        path: f.path.clone(),
                    }]
                }
                None => Vec::new(),
            },
        }
    }
}
