//! `reframe native-host install`: registers this binary as the browser extension's
//! native-messaging host for one user. A browser finds a host through a JSON manifest in a
//! per-user folder (Linux, macOS) or a registry key naming the manifest (Windows); the manifest
//! names an executable, which the browser starts with no arguments of ours, so a small
//! launcher beside the manifest runs `reframe native-host`.
//!
//! Everything is planned first ([`plan`], a pure function of the browser, the OS and the
//! user's folders, unit-tested for every pair), then printed or carried out.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The host's name, as the extension asks for it in `connectNative`.
pub const HOST_NAME: &str = "io.github.reframe_tool.reframe";
/// The extension's Chromium id, fixed by the `key` in editors/browser/manifest.json.
pub const CHROMIUM_EXTENSION_ID: &str = "mdbjjifakngoblaamcffjngjbkimoefj";
/// The extension's Firefox add-on id (`browser_specific_settings.gecko.id`).
pub const FIREFOX_EXTENSION_ID: &str = "reframe@reframe-tool.github.io";

/// The browsers the installer knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Browser {
    Chrome,
    Chromium,
    Edge,
    Brave,
    Firefox,
}

impl Browser {
    /// Every browser, in the order `--browser` lists them.
    pub const ALL: [Browser; 5] = [
        Browser::Chrome,
        Browser::Chromium,
        Browser::Edge,
        Browser::Brave,
        Browser::Firefox,
    ];

    fn name(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Chromium => "chromium",
            Browser::Edge => "edge",
            Browser::Brave => "brave",
            Browser::Firefox => "firefox",
        }
    }
}

/// The operating systems with a known manifest location.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    Linux,
    Mac,
    Windows,
}

impl Os {
    /// The OS this binary was built for; BSDs use the Linux locations, as the browsers do.
    pub fn current() -> Os {
        if cfg!(target_os = "macos") {
            Os::Mac
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Linux
        }
    }
}

/// The user's folders the locations depend on.
#[derive(Clone, Debug)]
pub struct UserDirs {
    /// `$HOME` (Linux, macOS).
    pub home: PathBuf,
    /// `$XDG_CONFIG_HOME`, which Chromium-based browsers on Linux honour.
    pub xdg_config_home: Option<PathBuf>,
    /// `%LOCALAPPDATA%` (Windows).
    pub local_app_data: Option<PathBuf>,
}

impl UserDirs {
    /// Read from the environment.
    pub fn from_env() -> Result<UserDirs> {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let home = var("HOME")
            .or_else(|| var("USERPROFILE"))
            .ok_or_else(|| Error::Invalid("cannot find the home folder: HOME is not set".into()))?;
        Ok(UserDirs {
            home,
            xdg_config_home: var("XDG_CONFIG_HOME").filter(|p| p.is_absolute()),
            local_app_data: var("LOCALAPPDATA"),
        })
    }
}

/// A registry value to set (Windows): the key's default value names the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryKey {
    /// Under `HKEY_CURRENT_USER`.
    pub key: String,
    /// The manifest file the default value points at.
    pub manifest: PathBuf,
}

impl RegistryKey {
    /// The `reg` arguments that write this key.
    pub fn add_args(&self) -> Vec<String> {
        vec![
            "add".into(),
            format!("HKCU\\{}", self.key),
            "/ve".into(),
            "/t".into(),
            "REG_SZ".into(),
            "/d".into(),
            self.manifest.display().to_string(),
            "/f".into(),
        ]
    }

    /// The `reg` arguments that remove it.
    pub fn delete_args(&self) -> Vec<String> {
        vec!["delete".into(), format!("HKCU\\{}", self.key), "/f".into()]
    }
}

/// Everything an install writes for one browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The browser.
    pub browser: Browser,
    /// Where the manifest goes.
    pub manifest_path: PathBuf,
    /// The manifest's JSON.
    pub manifest: String,
    /// The launcher the manifest names.
    pub launcher_path: PathBuf,
    /// The launcher's text (a shell script, or a batch file on Windows).
    pub launcher: String,
    /// The registry key on Windows.
    pub registry: Option<RegistryKey>,
}

/// The folder a browser reads per-user host manifests from (on Windows, the folder this
/// installer keeps them in, since the registry points at them).
fn manifest_dir(browser: Browser, os: Os, dirs: &UserDirs) -> Result<PathBuf> {
    let home = &dirs.home;
    Ok(match os {
        Os::Linux => {
            let config = dirs
                .xdg_config_home
                .clone()
                .unwrap_or_else(|| home.join(".config"));
            match browser {
                Browser::Chrome => config.join("google-chrome/NativeMessagingHosts"),
                Browser::Chromium => config.join("chromium/NativeMessagingHosts"),
                Browser::Edge => config.join("microsoft-edge/NativeMessagingHosts"),
                Browser::Brave => config.join("BraveSoftware/Brave-Browser/NativeMessagingHosts"),
                Browser::Firefox => home.join(".mozilla/native-messaging-hosts"),
            }
        }
        Os::Mac => {
            let support = home.join("Library/Application Support");
            match browser {
                Browser::Chrome => support.join("Google/Chrome/NativeMessagingHosts"),
                Browser::Chromium => support.join("Chromium/NativeMessagingHosts"),
                Browser::Edge => support.join("Microsoft Edge/NativeMessagingHosts"),
                Browser::Brave => support.join("BraveSoftware/Brave-Browser/NativeMessagingHosts"),
                Browser::Firefox => support.join("Mozilla/NativeMessagingHosts"),
            }
        }
        Os::Windows => dirs
            .local_app_data
            .as_ref()
            .ok_or_else(|| {
                Error::Invalid(
                    "cannot find the local application data folder: LOCALAPPDATA is not set".into(),
                )
            })?
            .join("reframe")
            .join("NativeMessagingHosts")
            .join(browser.name()),
    })
}

fn registry_key(browser: Browser) -> String {
    let vendor = match browser {
        Browser::Chrome => "Google\\Chrome",
        Browser::Chromium => "Chromium",
        Browser::Edge => "Microsoft\\Edge",
        Browser::Brave => "BraveSoftware\\Brave-Browser",
        Browser::Firefox => "Mozilla",
    };
    format!("Software\\{vendor}\\NativeMessagingHosts\\{HOST_NAME}")
}

/// What installing for `browser` on `os` writes, with `exe` the reframe binary.
pub fn plan(browser: Browser, os: Os, dirs: &UserDirs, exe: &Path) -> Result<Plan> {
    let dir = manifest_dir(browser, os, dirs)?;
    let manifest_path = dir.join(format!("{HOST_NAME}.json"));
    let (launcher_path, launcher) = if os == Os::Windows {
        let exe = exe.display().to_string();
        if exe.contains(['"', '%']) {
            return Err(Error::Invalid(format!(
                "the path of reframe ({exe}) holds a \" or %, which a batch file cannot run"
            )));
        }
        (
            dir.join(format!("{HOST_NAME}.bat")),
            format!("@echo off\r\nrem Written by `reframe native-host install`.\r\n\"{exe}\" native-host %*\r\n"),
        )
    } else {
        (
            dir.join(HOST_NAME),
            format!(
                "#!/bin/sh\n# Written by `reframe native-host install`: starts the native-messaging host.\nexec {} native-host \"$@\"\n",
                shell_quote(&exe.display().to_string())
            ),
        )
    };
    let allowed = match browser {
        Browser::Firefox => ("allowed_extensions", FIREFOX_EXTENSION_ID.to_string()),
        _ => (
            "allowed_origins",
            format!("chrome-extension://{CHROMIUM_EXTENSION_ID}/"),
        ),
    };
    let manifest = serde_json::json!({
        "name": HOST_NAME,
        "description": "Reframe: checks what you type in web forms, on this computer",
        "path": launcher_path,
        "type": "stdio",
        allowed.0: [allowed.1],
    });
    let manifest = serde_json::to_string_pretty(&manifest).expect("a manifest serialises") + "\n";
    Ok(Plan {
        browser,
        registry: (os == Os::Windows).then(|| RegistryKey {
            key: registry_key(browser),
            manifest: manifest_path.clone(),
        }),
        manifest_path,
        manifest,
        launcher_path,
        launcher,
    })
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The browsers whose per-user folders exist, for an install without `--browser`.
pub fn detected(os: Os, dirs: &UserDirs) -> Vec<Browser> {
    Browser::ALL
        .into_iter()
        .filter(|&b| {
            let Ok(dir) = manifest_dir(b, os, dirs) else {
                return false;
            };
            match os {
                // The installer's own folder proves nothing; the browser's data folder does.
                Os::Windows => dirs.local_app_data.as_ref().is_some_and(|base| {
                    let data = match b {
                        Browser::Chrome => "Google\\Chrome",
                        Browser::Chromium => "Chromium",
                        Browser::Edge => "Microsoft\\Edge",
                        Browser::Brave => "BraveSoftware\\Brave-Browser",
                        Browser::Firefox => "Mozilla\\Firefox",
                    };
                    base.join(data).is_dir()
                }),
                _ => dir.parent().is_some_and(Path::is_dir),
            }
        })
        .collect()
}

/// Prints what installing (or uninstalling) would do.
pub fn describe(plan: &Plan, uninstall: bool) -> String {
    let mut out = String::new();
    let name = plan.browser.name();
    if uninstall {
        out += &format!(
            "# {name}: would remove\n{}\n{}\n",
            plan.manifest_path.display(),
            plan.launcher_path.display()
        );
        if let Some(key) = &plan.registry {
            out += &format!("reg {}\n", key.delete_args().join(" "));
        }
        return out;
    }
    out += &format!(
        "# {name}: {}\n{}",
        plan.manifest_path.display(),
        plan.manifest
    );
    out += &format!("# {}\n{}", plan.launcher_path.display(), plan.launcher);
    if let Some(key) = &plan.registry {
        out += &format!("# then\nreg {}\n", key.add_args().join(" "));
    }
    out
}

/// Writes the manifest and the launcher (and the registry key on Windows).
pub fn apply(plan: &Plan) -> Result<()> {
    let dir = plan
        .manifest_path
        .parent()
        .ok_or_else(|| Error::Invalid("the manifest path has no folder".into()))?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let write =
        |path: &Path, text: &str| std::fs::write(path, text).map_err(|e| Error::io(path, e));
    write(&plan.launcher_path, &plan.launcher)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plan.launcher_path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| Error::io(&plan.launcher_path, e))?;
    }
    write(&plan.manifest_path, &plan.manifest)?;
    if let Some(key) = &plan.registry {
        run_reg(&key.add_args())?;
    }
    Ok(())
}

/// Removes what [`apply`] wrote; what is already gone is fine.
pub fn remove(plan: &Plan) -> Result<()> {
    for path in [&plan.manifest_path, &plan.launcher_path] {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(path, e)),
            _ => {}
        }
    }
    if let Some(key) = &plan.registry {
        // `reg delete` fails when the key is absent, which is the state wanted.
        let _ = run_reg(&key.delete_args());
    }
    Ok(())
}

fn run_reg(args: &[String]) -> Result<()> {
    let status = std::process::Command::new("reg")
        .args(args)
        .status()
        .map_err(|source| Error::Service {
            what: "run reg".into(),
            source,
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "reg {} failed ({status})",
            args.join(" ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs() -> UserDirs {
        UserDirs {
            home: PathBuf::from("/home/ana"),
            xdg_config_home: None,
            local_app_data: Some(PathBuf::from(r"C:\Users\ana\AppData\Local")),
        }
    }

    fn manifest(plan: &Plan) -> serde_json::Value {
        serde_json::from_str(&plan.manifest).unwrap()
    }

    #[test]
    fn every_browser_on_every_os_has_its_own_place_and_the_right_allow_list() {
        let exe = Path::new("/opt/reframe/bin/reframe");
        for os in [Os::Linux, Os::Mac, Os::Windows] {
            let mut seen = std::collections::HashSet::new();
            for browser in Browser::ALL {
                let plan = plan(browser, os, &dirs(), exe).unwrap();
                assert!(
                    seen.insert(plan.manifest_path.clone()),
                    "{os:?} {browser:?} shares a folder"
                );
                assert_eq!(
                    plan.manifest_path.file_name().unwrap(),
                    "io.github.reframe_tool.reframe.json"
                );
                assert_eq!(plan.launcher_path.parent(), plan.manifest_path.parent());
                let m = manifest(&plan);
                assert_eq!(m["name"], HOST_NAME);
                assert_eq!(m["type"], "stdio");
                assert_eq!(m["path"], plan.launcher_path.display().to_string());
                if browser == Browser::Firefox {
                    assert_eq!(
                        m["allowed_extensions"],
                        serde_json::json!(["reframe@reframe-tool.github.io"])
                    );
                    assert!(m.get("allowed_origins").is_none());
                } else {
                    assert_eq!(
                        m["allowed_origins"],
                        serde_json::json!(["chrome-extension://mdbjjifakngoblaamcffjngjbkimoefj/"])
                    );
                    assert!(m.get("allowed_extensions").is_none());
                }
                assert_eq!(plan.registry.is_some(), os == Os::Windows);
            }
        }
    }

    #[test]
    fn linux_locations() {
        let exe = Path::new("/usr/bin/reframe");
        let at = |b| plan(b, Os::Linux, &dirs(), exe).unwrap().manifest_path;
        let name = "io.github.reframe_tool.reframe.json";
        assert_eq!(
            at(Browser::Chrome),
            Path::new("/home/ana/.config/google-chrome/NativeMessagingHosts").join(name)
        );
        assert_eq!(
            at(Browser::Chromium),
            Path::new("/home/ana/.config/chromium/NativeMessagingHosts").join(name)
        );
        assert_eq!(
            at(Browser::Edge),
            Path::new("/home/ana/.config/microsoft-edge/NativeMessagingHosts").join(name)
        );
        assert_eq!(
            at(Browser::Brave),
            Path::new("/home/ana/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts")
                .join(name)
        );
        assert_eq!(
            at(Browser::Firefox),
            Path::new("/home/ana/.mozilla/native-messaging-hosts").join(name)
        );
        let xdg = UserDirs {
            xdg_config_home: Some(PathBuf::from("/cfg")),
            ..dirs()
        };
        assert_eq!(
            plan(Browser::Chromium, Os::Linux, &xdg, exe)
                .unwrap()
                .manifest_path,
            Path::new("/cfg/chromium/NativeMessagingHosts").join(name)
        );
        assert_eq!(
            plan(Browser::Firefox, Os::Linux, &xdg, exe)
                .unwrap()
                .manifest_path,
            Path::new("/home/ana/.mozilla/native-messaging-hosts").join(name)
        );
    }

    #[test]
    fn macos_locations() {
        let exe = Path::new("/usr/local/bin/reframe");
        let at = |b| plan(b, Os::Mac, &dirs(), exe).unwrap().manifest_path;
        let base = Path::new("/home/ana/Library/Application Support");
        let name = "io.github.reframe_tool.reframe.json";
        assert_eq!(
            at(Browser::Chrome),
            base.join("Google/Chrome/NativeMessagingHosts").join(name)
        );
        assert_eq!(
            at(Browser::Chromium),
            base.join("Chromium/NativeMessagingHosts").join(name)
        );
        assert_eq!(
            at(Browser::Edge),
            base.join("Microsoft Edge/NativeMessagingHosts").join(name)
        );
        assert_eq!(
            at(Browser::Brave),
            base.join("BraveSoftware/Brave-Browser/NativeMessagingHosts")
                .join(name)
        );
        assert_eq!(
            at(Browser::Firefox),
            base.join("Mozilla/NativeMessagingHosts").join(name)
        );
    }

    #[test]
    fn windows_registry_keys_and_batch_launcher() {
        let exe = Path::new(r"C:\Program Files\reframe\reframe.exe");
        let keys: Vec<String> = Browser::ALL
            .iter()
            .map(|&b| {
                plan(b, Os::Windows, &dirs(), exe)
                    .unwrap()
                    .registry
                    .unwrap()
                    .key
            })
            .collect();
        assert_eq!(
            keys,
            [
                r"Software\Google\Chrome\NativeMessagingHosts\io.github.reframe_tool.reframe",
                r"Software\Chromium\NativeMessagingHosts\io.github.reframe_tool.reframe",
                r"Software\Microsoft\Edge\NativeMessagingHosts\io.github.reframe_tool.reframe",
                r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\io.github.reframe_tool.reframe",
                r"Software\Mozilla\NativeMessagingHosts\io.github.reframe_tool.reframe",
            ]
        );
        let p = plan(Browser::Edge, Os::Windows, &dirs(), exe).unwrap();
        let key = p.registry.as_ref().unwrap();
        assert_eq!(key.manifest, p.manifest_path);
        let add = key.add_args();
        assert_eq!(add[..2], ["add".to_string(), format!("HKCU\\{}", key.key)]);
        assert_eq!(add[6], p.manifest_path.display().to_string());
        assert_eq!(key.delete_args()[0], "delete");
        assert!(p.launcher_path.to_string_lossy().ends_with(".bat"));
        assert!(p
            .launcher
            .contains("\"C:\\Program Files\\reframe\\reframe.exe\" native-host %*"));
        let no_appdata = UserDirs {
            local_app_data: None,
            ..dirs()
        };
        assert!(plan(Browser::Chrome, Os::Windows, &no_appdata, exe).is_err());
        assert!(plan(
            Browser::Chrome,
            Os::Windows,
            &dirs(),
            Path::new(r"C:\100%\reframe.exe")
        )
        .is_err());
    }

    #[test]
    fn the_unix_launcher_quotes_the_binary_path() {
        let p = plan(
            Browser::Chromium,
            Os::Linux,
            &dirs(),
            Path::new("/home/ana/it's here/reframe"),
        )
        .unwrap();
        assert!(p.launcher.starts_with("#!/bin/sh\n"));
        assert!(
            p.launcher
                .contains(r#"exec '/home/ana/it'\''s here/reframe' native-host "$@""#),
            "{}",
            p.launcher
        );
    }

    #[cfg(unix)]
    #[test]
    fn install_writes_an_executable_launcher_and_uninstall_removes_it() {
        let home = tempfile::tempdir().unwrap();
        let user = UserDirs {
            home: home.path().to_path_buf(),
            xdg_config_home: None,
            local_app_data: None,
        };
        assert!(detected(Os::Linux, &user).is_empty());
        let p = plan(
            Browser::Chromium,
            Os::Linux,
            &user,
            Path::new("/usr/bin/reframe"),
        )
        .unwrap();
        apply(&p).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p.manifest_path).unwrap(),
            p.manifest
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p.launcher_path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
        assert_eq!(detected(Os::Linux, &user), [Browser::Chromium]);
        remove(&p).unwrap();
        assert!(!p.manifest_path.exists() && !p.launcher_path.exists());
        remove(&p).unwrap();
    }
}
