;;; reframe.el --- Respectful-language checks via the Reframe language server  -*- lexical-binding: t -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: wp, convenience, languages
;; SPDX-License-Identifier: MIT OR Apache-2.0

;;; Commentary:

;; Reframe flags stigmatizing, pathologizing and blaming language in clinical, therapy
;; and personal writing ("the client is resistant", "non-compliant", "committed
;; suicide") and offers respectful reframes as quick fixes.  This file registers
;; `reframe lsp' with Eglot (built into Emacs 29; the `eglot' package from GNU ELPA or
;; Debian's `elpa-eglot' on Emacs 27/28) for Markdown and plain-text buffers.
;;
;;   (add-to-list 'load-path "~/src/reframe/editors/emacs")
;;   (require 'reframe)
;;   (add-hook 'markdown-mode-hook #'reframe-eglot-ensure)
;;   (add-hook 'text-mode-hook #'reframe-eglot-ensure)   ; optional: all text modes
;;
;; Diagnostics show through Flymake, quick fixes through `eglot-code-actions' (the
;; preferred "Reframe as ..." is the default choice), explanations through ElDoc
;; (hover).  Inlay hints ("→ reframe") need Eglot 1.14+ (Emacs 29.1):
;; `eglot-inlay-hints-mode'.
;;
;; Eglot runs one server per buffer, so for Markdown this replaces another Markdown
;; server (such as marksman) in buffers where you start Reframe.

;;; Code:

(require 'eglot)
(require 'cl-lib)
(require 'project)

(defgroup reframe nil
  "Respectful-language checks via the Reframe language server."
  :group 'eglot
  :prefix "reframe-")

(defcustom reframe-command '("reframe" "lsp")
  "Command that starts the Reframe language server (stdio).
If `reframe' is not on `exec-path', install it with `pip install reframe-lint',
`cargo install reframe-lint', or from a release archive (docs/install.md)."
  :type '(repeat string))

(defcustom reframe-modes
  '((markdown-mode :language-id "markdown")
    (gfm-mode :language-id "markdown")
    (text-mode :language-id "plaintext"))
  "Major modes handed to Reframe, with the LSP languageId each one sends.
Modes derived from these (e.g. from `text-mode') match too."
  :type '(repeat sexp))

(defcustom reframe-settings nil
  "Server settings, sent as initializationOptions.
A plist with the same keys as `.reframe.toml' and the VS Code settings:
:enable, :severity, :disable, :allow, :rules, :inlayHints, :languages,
:quotes, :mentions, :debounceMs, :unsafeFixes, :maxProblems.  Use vectors
for JSON arrays, e.g.
  (:severity (:casual \"hint\") :allow [\"treatment-resistant depression\"])"
  :type 'plist)

(defun reframe--executable ()
  "Absolute path of the server binary, or nil."
  (let ((prog (car reframe-command)))
    (if (file-name-absolute-p prog)
        (and (file-executable-p prog) prog)
      (executable-find prog))))

(defun reframe--contact (&optional _interactive)
  "Eglot contact for Reframe: the command plus initializationOptions."
  (unless (reframe--executable)
    (user-error "Reframe: `%s' not found.  Install it with `pip install reframe-lint' \
or `cargo install reframe-lint', or set `reframe-command'"
                (car reframe-command)))
  (append reframe-command
          (list :initializationOptions (or reframe-settings (make-hash-table)))))

(defun reframe--workspace-configuration (_server)
  "Answer the \"reframe\" configuration section with `reframe-settings'.
Used as the default `eglot-workspace-configuration'.  The server asks
for that section after it starts; answering it keeps
`reframe-settings' in force (an empty answer would mean \"no settings\")."
  (list :reframe (or reframe-settings (make-hash-table))))

;;;###autoload
(defun reframe-register ()
  "Add Reframe to `eglot-server-programs' (idempotent).
Also answers the server's workspace/configuration request with
`reframe-settings', unless `eglot-workspace-configuration' already has a
global value of its own (then add a :reframe section to it yourself)."
  (setq eglot-server-programs
        (cons (cons reframe-modes #'reframe--contact)
              (cl-remove-if (lambda (entry) (eq (cdr entry) #'reframe--contact))
                            eglot-server-programs)))
  (when (null (default-value 'eglot-workspace-configuration))
    (setq-default eglot-workspace-configuration #'reframe--workspace-configuration)))

;;;###autoload
(defun reframe-eglot-ensure ()
  "Start Reframe (through Eglot) in this buffer.  Meant for mode hooks."
  (reframe-register)
  (eglot-ensure))

(defun reframe--project-root ()
  "Root of the current project (where `.reframe.toml' lives)."
  (let ((project (or (ignore-errors (eglot--project (eglot-current-server)))
                     (project-current))))
    (if project (project-root project) default-directory)))

;;;###autoload
(defun reframe-open-config ()
  "Open the project's `.reframe.toml', creating it with `reframe init' if needed."
  (interactive)
  (let* ((root (file-name-as-directory (expand-file-name (reframe--project-root))))
         (file (expand-file-name ".reframe.toml" root)))
    (unless (file-exists-p file)
      (let ((default-directory root)
            (bin (or (reframe--executable) (car reframe-command))))
        (unless (eq 0 (call-process bin nil nil nil "init"))
          (user-error "Reframe: `%s init' failed in %s" bin root))))
    (find-file file)))

;;;###autoload
(with-eval-after-load 'eglot (reframe-register))

(provide 'reframe)
;;; reframe.el ends here
