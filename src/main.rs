fn main() {
    std::process::exit(reframe::run_cli());
}
