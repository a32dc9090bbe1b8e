// parmap-taxi's two services and their real CSV schemas: the 2017 yellow cab files and the 2022 high-volume
// ride-share (HVFHS) files. The engine finds its three columns by header name, never by position.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taxi {

enum class service { yellow, rideshare };
inline constexpr std::size_t service_count = 2;

inline const char* service_name(service s) { return s == service::yellow ? "yellow" : "rideshare"; }

/// The full header line of each service's files, as the real files have it.
inline const char* header_of(service s) {
    return s == service::yellow
               ? "VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,RatecodeID,"
                 "store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount,extra,mta_tax,tip_amount,"
                 "tolls_amount,improvement_surcharge,total_amount"
               : "hvfhs_license_num,dispatching_base_num,originating_base_num,request_datetime,on_scene_datetime,"
                 "pickup_datetime,dropoff_datetime,PULocationID,DOLocationID,trip_miles,trip_time,base_passenger_fare,"
                 "tolls,bcf,sales_tax,congestion_surcharge,airport_fee,tips,driver_pay,shared_request_flag,"
                 "shared_match_flag,access_a_ride_flag,wav_request_flag,wav_match_flag";
}

/// The columns the questions need, named as in the header: fare, tip, distance.
inline std::array<const char*, 3> needed_columns(service s) {
    if (s == service::yellow) return {"fare_amount", "tip_amount", "trip_distance"};
    return {"base_passenger_fare", "tips", "trip_miles"};
}

/// Where the needed fields are in a file's rows, and how many fields a row has.
struct layout {
    service kind = service::yellow;
    std::size_t fields = 0;
    std::size_t fare = 0, tip = 0, distance = 0;
};

/// The header's names, split at commas (a trailing CR removed).
std::vector<std::string> split_header(std::string_view line);

/// The layout of a file with this header, or nothing when it lacks either service's columns.
std::optional<layout> find_layout(const std::vector<std::string>& names);

} // namespace taxi
