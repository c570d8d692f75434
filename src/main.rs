fn main() {
    std::process::exit(reframe::cli::run());
}
